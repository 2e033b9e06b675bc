"""How the cost of the everyday calls grows with the data: 10,000, 100,000 and 1,000,000 objects.

For each size a scratch database (BENCH_DATABASE_URL's server, default the local PostgreSQL,
dropped at the end) is migrated and seeded with COPY (bench/scale_seed.py: people, photos,
objects, history, favourites, approvals, trades), then `python -m gallery` runs against it
(sandbox mode, abuse limits off) and one client times, one request at a time, the median of
several repetitions of: the near-duplicate check (through the dHash slice indexes, with the old
scan of every photo as the in-run reference, called as intake calls them), the first and a
middle page of GET /api/objects, a search, a profile page, and a trade accept, all over HTTP as
the mini-app's person 0. Target: every figure at the largest size within 2x of the smallest.
For a figure over that, its call runs again in-process in a rolled-back transaction and the
plan of its slowest statement (EXPLAIN ANALYZE) is printed.

    python bench/scale.py [--sizes 10000,100000,1000000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import scale_seed
from bench.harness import free_port, running_app, scratch_database
from bench.scale_seed import USER_BASE, VIEWER, deep_cursor, near_queries
from gallery.objects import browse
from gallery.profiles import privacy
from gallery.trades import accept
from sandbox.signer import sign_init_data
from storage import photos
from storage.db import Connection, init_connection
from storage.migrate import migrate

SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the local emulator's well-known token
RADIUS = 4  # media.near_duplicate_distance's default
PAGE = 30
WORD = "lighthouse"  # one subject in 40: in about 5% of titles and descriptions
PROFILE = USER_BASE + 200  # a public collection of a typical size
WARM = 3
SCAN = "near-duplicate, old scan"
Call = Callable[[Connection], Awaitable[object]]


async def near_duplicates(conn: asyncpg.Connection, objects: int) -> dict[str, float]:
    queries = near_queries(objects)
    for query in queries[:6]:  # past asyncpg's prepared statement's switch to a generic plan
        await photos.find_near_duplicate(conn, query, RADIUS, VIEWER)
    indexed, scanned = [], []
    for query in queries:
        started = time.perf_counter()
        found = await photos.find_near_duplicate(conn, query, RADIUS, VIEWER)
        indexed.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert found == await photos.find_near_duplicate_by_scan(conn, query, RADIUS, VIEWER)
        scanned.append(time.perf_counter() - started)
    return {"near-duplicate, indexed": ms(indexed), SCAN: ms(scanned)}


def ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


class Client:
    """The mini-app's person 0, logged in through the sandbox's signed launch data."""

    def __init__(self, session: aiohttp.ClientSession, base: str, token: str) -> None:
        self.session, self.base = session, base
        self.headers = {"Authorization": f"Bearer {token}"}

    async def call(self, method: str, path: str, body: object = None) -> None:
        url = self.base + path
        async with self.session.request(method, url, json=body, headers=self.headers) as answer:
            await answer.read()
            if answer.status != 200:
                raise RuntimeError(f"{method} {path} answered {answer.status}")

    async def median_ms(self, repeat: int, method: str, paths: list[str], body: object) -> float:
        for path in paths[:WARM]:
            await self.call(method, path, body)
        seconds = []
        for path in paths[WARM : WARM + repeat]:
            started = time.perf_counter()
            await self.call(method, path, body)
            seconds.append(time.perf_counter() - started)
        return ms(seconds)


async def log_in(session: aiohttp.ClientSession, base: str) -> str:
    init_data = sign_init_data(SANDBOX_TOKEN, {"id": VIEWER, "first_name": "Collector 0"})
    async with session.post(f"{base}/api/auth", json={"init_data": init_data}) as answer:
        body = await answer.json()
        return str(body["access_token"])


def requests(objects: int, repeat: int) -> dict[str, tuple[str, list[str], object]]:
    """Each figure's method, paths (the warm-up's, then the timed ones) and body."""
    times = WARM + repeat
    objects_path = f"/api/objects?limit={PAGE}"
    accepts = [f"/api/trades/{t}/accept" for t in scale_seed.pending_trade_ids(objects)]
    return {
        "GET /api/objects, first page": ("GET", [objects_path] * times, None),
        "GET /api/objects, middle page": (
            "GET", [f"{objects_path}&cursor={deep_cursor(objects)}"] * times, None),
        f"search '{WORD}'": ("GET", [f"{objects_path}&q={WORD}"] * times, None),
        "GET /api/users/{id} (profile)": ("GET", [f"/api/users/{PROFILE}"] * times, None),
        "POST /api/trades/{id}/accept": ("POST", accepts[:times], {"version": 1}),
    }  # fmt: skip


async def over_http(base: str, objects: int, repeat: int) -> dict[str, float]:
    async with aiohttp.ClientSession() as session:
        client = Client(session, base, await log_in(session, base))
        return {
            name: await client.median_ms(repeat, method, paths, body)
            for name, (method, paths, body) in requests(objects, repeat).items()
        }


def in_process(objects: int) -> dict[str, Call]:
    """The call behind each figure, as its route makes it (the last trade is never timed)."""
    last_trade = scale_seed.pending_trade_ids(objects)[-1]
    query = near_queries(objects)[0]
    names = list(requests(objects, 1))
    return {
        "near-duplicate, indexed": lambda c: photos.find_near_duplicate(c, query, RADIUS, VIEWER),
        names[0]: lambda c: browse.gallery_page(c, VIEWER, limit=PAGE),
        names[1]: lambda c: browse.gallery_page(c, VIEWER, limit=PAGE, cursor=deep_cursor(objects)),
        names[2]: lambda c: browse.gallery_page(c, VIEWER, limit=PAGE, text=WORD),
        names[3]: lambda c: privacy.profile(c, PROFILE, VIEWER),
        names[4]: lambda c: accept.accept_trade(c, last_trade, VIEWER, 1),
    }


class Recorder:
    """A connection that times every statement it runs and passes everything else through."""

    TIMED = frozenset({"fetch", "fetchrow", "fetchval", "execute"})

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.statements: list[tuple[float, str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.conn, name)
        if name not in self.TIMED:
            return method

        async def timed(sql: str, *args: Any, **options: Any) -> Any:
            started = time.perf_counter()
            result = await method(sql, *args, **options)
            self.statements.append((time.perf_counter() - started, sql, args))
            return result

        return timed


async def slowest_plan(conn: asyncpg.Connection, call: Call) -> str:
    """The call in a transaction rolled back after EXPLAIN ANALYZE of its slowest statement."""
    recorder = Recorder(conn)
    transaction = conn.transaction()
    await transaction.start()
    try:
        await call(cast(Connection, recorder))
        took, sql, args = max(recorder.statements, key=lambda statement: statement[0])
        try:
            async with conn.transaction():
                rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)
        except asyncpg.PostgresError as error:
            return f"({took * 1000:.2f} ms) {sql.strip()}\n  not explained: {error}"
        return f"({took * 1000:.2f} ms) {sql.strip()}\n" + "\n".join(r[0] for r in rows)
    finally:
        await transaction.rollback()


async def measure(objects: int, repeat: int, baseline: dict[str, float] | None) -> tuple[
    dict[str, float], dict[str, str]
]:  # fmt: skip
    """One size's figures, and the plans of those over twice the baseline's."""
    async with scratch_database() as database_url:
        conn = await asyncpg.connect(database_url)
        try:
            await init_connection(conn)
            await migrate(conn)
            started = time.monotonic()
            await scale_seed.seed(conn, objects)
            print(f"  {objects:,} objects seeded in {time.monotonic() - started:.0f} s", flush=True)
            figures = await near_duplicates(conn, objects)
            limits = {"GALLERY_LIMITS__ENABLED": "false"}
            async with running_app(database_url, free_port(), **limits) as base:
                figures |= await over_http(base, objects, repeat)
            over = [n for n in figures if baseline and n != SCAN and figures[n] > 2 * baseline[n]]
            calls = in_process(objects)
            plans = {name: await slowest_plan(conn, calls[name]) for name in over}
        finally:
            await conn.close()
    return figures, plans


def report(sizes: list[int], figures: dict[int, dict[str, float]]) -> None:
    first, last = sizes[0], sizes[-1]
    print(f"\nmedian ms per call{'':22}" + "".join(f"{size:>12,}" for size in sizes) +
          f"   {last:,}/{first:,}")  # fmt: skip
    for name in figures[first]:
        values = "".join(f"{figures[size][name]:12.2f}" for size in sizes)
        ratio = figures[last][name] / figures[first][name]
        verdict = "reference" if name == SCAN else "ok" if ratio <= 2 else "OVER 2x"
        print(f"  {name:38}{values}   {ratio:5.2f}x {verdict}")
    speedups = "".join(
        f"{figures[s][SCAN] / figures[s]['near-duplicate, indexed']:11.0f}x" for s in sizes
    )
    print(f"  {'old scan / indexed':38}{speedups}")


async def run(sizes: list[int], repeat: int) -> None:
    figures: dict[int, dict[str, float]] = {}
    for size in sizes:
        figures[size], plans = await measure(size, repeat, figures.get(sizes[0]))
        for name, plan in plans.items():
            print(f"\n{name} at {size:,}, over 2x its {sizes[0]:,} figure. Slowest:\n{plan}")
    report(sizes, figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=15, help="timed calls per figure")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if args.repeat + WARM > scale_seed.TRADES - 1:
        parser.error(f"--repeat at most {scale_seed.TRADES - 1 - WARM}: one trade per accept")
    asyncio.run(run(sizes, args.repeat))


if __name__ == "__main__":
    main()
