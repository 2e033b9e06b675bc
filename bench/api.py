"""GET /api/objects (a page of 30 out of 10,000 objects) at 64 concurrent connections.

The app runs as `python -m gallery` in its own process (sandbox mode, a scratch database on
BENCH_DATABASE_URL's server, default the local PostgreSQL, dropped at the end). In the same run
two references answer the same statement with the same JSON (signed media URLs, orjson): a bare
aiohttp + asyncpg server (bench/api_reference.py) and FastAPI on uvicorn (bench/api_fastapi.py,
skipped unless the bench extra is installed: `pip install -e '.[bench]'`). The load generator,
the app and PostgreSQL share the CPU, so only the ratios say much. The three take turns, a few
seconds each, the others stopped meanwhile (`--rounds`, default 5 rounds of 3 s a server, the
order rotating): these shared cores change speed within seconds, so each ratio is the median of
the rounds' ratios, every round's printed beside it. The load comes from wrk when
installed (Debian package `wrk`), else from an aiohttp client in a process of its own.

With --as-user every request carries a logged-in person's access token (logged in through the
sandbox), so the figures include what authenticating a request costs; the reference then
checks the same JWT's signature and runs the same statement for that viewer, as a stateless
server would.

    python bench/api.py [--seconds 15] [--rounds 5] [--concurrency 64] [--objects 10000] [--as-user]
                         [--fastapi-http auto|httptools|h11] [--fastapi-style idiomatic|lean]

The FastAPI reference is written as FastAPI's docs teach (a `Depends` for the connection, a
pydantic `response_model`) on uvicorn with its standard extras; `--fastapi-style lean` (orjson
bytes in a plain Response) and `--fastapi-http h11` (a bare `pip install uvicorn`) show the
range. With wrk each server's own CPU per request is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sys
from contextlib import AsyncExitStack
from pathlib import Path

import aiohttp
import asyncpg
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api_load import run_load_generator
from bench.api_reference import PAGE
from bench.harness import (
    LIFTED_LIMITS,
    free_port,
    have_wrk,
    running_app,
    scratch_database,
)
from bench.reference import (
    APP_MARKER,
    Figures,
    combined,
    cpu_line,
    rounds_line,
    running_script,
    server_process,
    take_turns,
)
from sandbox.control import SandboxControl

REFERENCE = Path(__file__).with_name("api_reference.py")
FASTAPI = Path(__file__).with_name("api_fastapi.py")
SEED_USERS = """
INSERT INTO users (id, first_name, last_name)
SELECT 700000 + n, 'Collector', 'N' || n FROM generate_series(1, 200) n
"""
SEED_PHOTOS = """
INSERT INTO photos (id, sha256, dhash, width, height, format, byte_size, original_key,
                    preview_key, thumb_key, placeholder, uploaded_by)
OVERRIDING SYSTEM VALUE
SELECT n, encode(sha256(n::text::bytea), 'hex'), n * 2654435761, 1280, 960, 'jpeg', 2000000,
       'aa/bb/' || n || '/full.jpg', 'aa/bb/' || n || '/preview.webp',
       'aa/bb/' || n || '/thumb.webp', '1QcSHQRnh493V4dIh4eXh1h4kJUI99zPaA', 700001 + n % 200
FROM generate_series(1, $1::int) n
"""
SEED_OBJECTS = """
INSERT INTO art_objects (photo_id, title, description, creator_id, owner_id, created_at)
SELECT n, 'Photo ' || n, 'Sunset over the bay, number ' || n, 700001 + n % 200,
       700001 + n % 200, now() - make_interval(secs => $1::int - n)
FROM generate_series(1, $1::int) n
"""
SEED_HISTORY = """
INSERT INTO ownership_history (object_id, to_user_id, reason)
SELECT id, owner_id, 'created' FROM art_objects
"""


async def seed(database_url: str, objects: int) -> None:
    """Rows only: the list endpoint never opens the files."""
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(SEED_USERS)
        await conn.execute(SEED_PHOTOS, objects)
        await conn.execute(SEED_OBJECTS, objects)
        await conn.execute(SEED_HISTORY)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


# --- database round trips per request -------------------------------------------------------------

XACTS = """
SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()
"""
COUNTED_REQUESTS = 2000
# an idle backend reports its counts at most 10 s late (PostgreSQL's PGSTAT_IDLE_INTERVAL)
STATS_DELAY_S = 11.0


async def transactions_per_request(database_url: str, url: str, token: str | None) -> float:
    """Statements the app ran per request (each outside a transaction block is one), counted by
    PostgreSQL while a few connections send COUNTED_REQUESTS: a figure the shared CPU does not
    blur. The app's background jobs add a few over the seconds this takes."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    conn = await asyncpg.connect(database_url)
    try:
        await asyncio.sleep(STATS_DELAY_S)
        before = await conn.fetchval(XACTS)
        async with aiohttp.ClientSession(headers=headers) as session:
            await asyncio.gather(*(fetch_n(session, url, COUNTED_REQUESTS // 8) for _ in range(8)))
        await asyncio.sleep(STATS_DELAY_S)
        after = await conn.fetchval(XACTS)
    finally:
        await conn.close()
    return float(after - before - 1) / COUNTED_REQUESTS


async def fetch_n(session: aiohttp.ClientSession, url: str, count: int) -> None:
    for _ in range(count):
        async with session.get(url) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")


# --- the run ------------------------------------------------------------------------------------


async def check_same_shape(app_url: str, reference_url: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession(headers=headers) as session:
        async with session.get(app_url) as app_response:
            app_body = await app_response.json()
        async with session.get(reference_url) as reference_response:
            reference_body = await reference_response.json()
    assert len(app_body["items"]) == len(reference_body["items"]) == PAGE
    assert [i["id"] for i in app_body["items"]] == [i["id"] for i in reference_body["items"]]
    assert app_body["items"][0]["media"]["thumb"] == reference_body["items"][0]["media"]["thumb"]


async def log_in(base: str, sandbox_port: int) -> str:
    """A made-up person opens the mini-app through the sandbox: their access token."""
    async with SandboxControl(f"http://127.0.0.1:{sandbox_port}") as control:
        created = await control.create_user("Bench", language_code="en")
        launch = await control.launch_data(int(created["user"]["user_id"]))
    body = {"init_data": launch["init_data"]}
    async with aiohttp.ClientSession() as session, session.post(f"{base}/api/auth", json=body) as r:
        token: str = (await r.json())["access_token"]
    return token


Slices = dict[str, list[Figures]]


async def measure(args: argparse.Namespace) -> tuple[Slices, float]:
    """The app and its references on the same rows, taking turns (bench/reference.py
    take_turns)."""
    path = f"/api/objects?limit={PAGE}"
    sandbox_port = free_port()
    sandbox = {"GALLERY_SANDBOX__PORT": str(sandbox_port)}
    async with (
        scratch_database() as database_url,
        running_app(database_url, free_port(), **sandbox, **LIFTED_LIMITS) as base,
        AsyncExitStack() as stack,
    ):
        await seed(database_url, args.objects)
        token = await log_in(base, sandbox_port) if args.as_user else None
        round_trips = await transactions_per_request(database_url, base + path, token)
        urls = {"app": base + path}
        servers = {"app": server_process(APP_MARKER)}
        for script in [REFERENCE] + ([FASTAPI] if fastapi_installed() else []):
            port = free_port()
            url = f"http://127.0.0.1:{port}{path}"
            extra = [args.fastapi_http, args.fastapi_style] if script == FASTAPI else []
            await stack.enter_async_context(
                running_script(script, database_url, str(port), *extra, ready_url=url)
            )
            await check_same_shape(base + path, url, token)
            urls[script.stem], servers[script.stem] = url, server_process(script.name)

        async def slice_of(name: str, process: psutil.Process) -> Figures:
            return await asyncio.to_thread(
                run_load_generator,
                urls[name],
                args.seconds / args.rounds,
                args.concurrency,
                token,
                process,
            )

        return await take_turns(servers, args.rounds, slice_of), round_trips


def fastapi_installed() -> bool:
    return all(importlib.util.find_spec(name) for name in ("fastapi", "uvicorn"))


def report(args: argparse.Namespace, slices: Slices, round_trips: float) -> None:
    print(
        f"GET /api/objects?limit={PAGE}{' as a logged-in user' if args.as_user else ''}: "
        f"{args.objects} objects, {args.concurrency} connections, {args.rounds} rounds of "
        f"{args.seconds / args.rounds:.0f} s a server, load from "
        f"{'wrk' if have_wrk() else 'aiohttp'}"
    )
    app, bare = slices["app"], slices["api_reference"]
    fast = slices.get("api_fastapi")
    names = {"app": "app (python -m gallery)", "api_reference": "bare aiohttp+asyncpg",
             "api_fastapi": "FastAPI+uvicorn"}  # fmt: skip
    for key, name in names.items():
        if key in slices:
            figures = combined(slices[key])
            print(
                f"  {name:24} {figures['per_second']:7.0f} req/s  p50 {figures['p50_ms']:6.1f} ms"
                f"  p99 {figures['p99_ms']:6.1f} ms  ({figures['requests']:.0f} requests)"
            )
    print(rounds_line("req/s vs bare", app, bare, "per_second", ">= 0.8x"))
    print(rounds_line("p99 vs bare", app, bare, "p99_ms", "<= 1.2x"))
    if fast is None:
        print("  FastAPI reference skipped: not installed (pip install -e '.[bench]')")
    else:
        print(f"  (FastAPI {args.fastapi_style}, uvicorn's HTTP parser {args.fastapi_http})")
        print(rounds_line("req/s vs FastAPI", app, fast, "per_second", ">= 1.7x"))
    print_cpu(combined(app), combined(bare), None if fast is None else combined(fast))
    print(f"  database statements per app request  {round_trips:.2f}  (the references: 1)")


def print_cpu(app: Figures, bare: Figures, fast: Figures | None) -> None:
    if "cpu_ms" not in app:
        return
    print(cpu_line("CPU/request vs bare", app["cpu_ms"], bare["cpu_ms"]))
    if fast is not None:
        print(cpu_line("CPU/request vs FastAPI", app["cpu_ms"], fast["cpu_ms"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0, help="load on each server, in all")
    parser.add_argument("--rounds", type=int, default=5, help="slices the seconds are cut into")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--as-user", action="store_true", help="send a logged-in access token")
    parser.add_argument("--fastapi-http", choices=["auto", "httptools", "h11"], default="auto",
                        help="uvicorn's HTTP parser for the FastAPI reference")  # fmt: skip
    parser.add_argument("--fastapi-style", choices=["idiomatic", "lean"], default="idiomatic",
                        help="the FastAPI view: Depends + response_model, or bytes")  # fmt: skip
    args = parser.parse_args()
    report(args, *asyncio.run(measure(args)))


if __name__ == "__main__":
    main()
