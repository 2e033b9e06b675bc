"""Updates per second and answer latency through the real webhook path, against a bare reference.

The app runs as `python -m gallery` in its own process (sandbox standing in for MAX) on a scratch
PostgreSQL database; distinct `message_created` updates (`/help`) arrive at 32 concurrent
deliveries. Each goes through the secret check, parsing, the idempotency insert, the user upsert
and a handler that writes its reply to the outbox.

In the same run a bare aiohttp + asyncpg server (bench/webhook_reference.py: the secret compared
in constant time, the JSON parsed, the idempotency key inserted, one outbox row written) takes
the same load on a database of its own with the app's schema; the ratios of the app's figures to
its figures are what to compare across machines. The two take turns, a few seconds each, the
other stopped meanwhile (`--rounds`, default 5 rounds of 3 s each): these shared cores change
speed by a quarter within seconds (the same code's CPU per update moved 0.39-0.55 ms from one
slice to the next), so one long run of each compared two different machines. Each round's ratio
is printed, and their median is the ratio.

The load comes from wrk (Debian package `wrk`) when it is installed: on two shared cores a Python
load generator takes CPU from the app and adds its own loop lag to every latency it measures.
`--python` forces the Python generator.

    python bench/webhook.py [--seconds 15] [--rounds 5] [--concurrency 32] [--python]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import time
from pathlib import Path

import aiohttp
import orjson
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import (
    LIFTED_LIMITS,
    describe,
    free_port,
    have_wrk,
    running_app,
    scratch_database,
    wrk,
)
from bench.reference import (
    APP_MARKER,
    Figures,
    combined,
    cpu_line,
    migrated,
    rounds_line,
    running_script,
    server_process,
    take_turns,
)
from bot.webhook import SECRET_HEADER
from config.settings import Settings

REFERENCE = Path(__file__).with_name("webhook_reference.py")

USERS = 2000


def update(n: int) -> bytes:
    user_id = 500_000 + n % USERS
    now = int(time.time() * 1000)
    return orjson.dumps(
        {
            "update_type": "message_created",
            "timestamp": now,
            "user_locale": "en",
            "message": {
                "sender": {"user_id": user_id, "first_name": "Load", "is_bot": False},
                "recipient": {"chat_id": 9_000_000 + user_id, "chat_type": "dialog", "user_id": 1},
                "timestamp": now,
                "body": {"mid": f"mid.bench{n:024d}", "seq": n, "text": "/help"},
            },
        }
    )


async def deliver(
    session: aiohttp.ClientSession,
    url: str,
    secret: str,
    counter: itertools.count[int],
    until: float,
    latencies: list[float],
) -> None:
    headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
    while time.monotonic() < until:
        body = update(next(counter))
        started = time.perf_counter()
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"webhook answered {response.status}")
        latencies.append(time.perf_counter() - started)


async def load(url: str, secret: str, seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    counter = itertools.count()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        warm_until = time.monotonic() + 2
        await asyncio.gather(
            *(deliver(session, url, secret, counter, warm_until, []) for _ in range(concurrency))
        )
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(deliver(session, url, secret, counter, until, latencies) for _ in range(concurrency))
        )
        return describe(latencies, time.monotonic() - started)


def wrk_load(
    url: str, secret: str, seconds: float, args: argparse.Namespace, server: psutil.Process
) -> Figures:
    script = Path(__file__).with_name("webhook.lua")
    env = {"WEBHOOK_SECRET": secret}
    return wrk(url, seconds, args.concurrency, script=script, env=env, cpu_of=server)


async def drive(
    url: str, secret: str, seconds: float, args: argparse.Namespace, server: psutil.Process
) -> Figures:
    """The load on `url`; with wrk also the CPU per update of `server`."""
    if have_wrk() and not args.python:
        return await asyncio.to_thread(wrk_load, url, secret, seconds, args, server)
    return await load(url, secret, seconds, args.concurrency)


async def measure(secret: str, args: argparse.Namespace) -> dict[str, list[Figures]]:
    """Both servers started once, each on its own database; then `args.rounds` rounds, each a
    slice of load on the reference and one on the app, the order alternating so neither always
    goes first (bench/reference.py take_turns). While one is loaded the other is stopped
    (SIGSTOP): an idle app still sends its backlog at MAX's pace and runs its jobs, CPU the
    reference would lose. Each round's ratio compares two slices seconds apart, under the same
    neighbours on the machine's cores."""
    async with (
        scratch_database() as reference_db,
        scratch_database() as app_db,
        running_app(app_db, free_port(), **LIFTED_LIMITS) as base,
    ):
        await migrated(reference_db)
        port = free_port()
        url = f"http://127.0.0.1:{port}/max/webhook"
        async with running_script(REFERENCE, reference_db, str(port), secret, ready_url=url):
            urls = {"reference": url, "app": f"{base}/max/webhook"}
            servers = {
                "reference": server_process(REFERENCE.name),
                "app": server_process(APP_MARKER),
            }

            async def slice_of(name: str, process: psutil.Process) -> Figures:
                return await drive(urls[name], secret, args.seconds / args.rounds, args, process)

            return await take_turns(servers, args.rounds, slice_of)


def report(args: argparse.Namespace, slices: dict[str, list[Figures]]) -> None:
    generator = "python" if args.python or not have_wrk() else "wrk"
    print(
        f"webhook: {args.concurrency} concurrent deliveries, {args.rounds} rounds of "
        f"{args.seconds / args.rounds:.0f} s a server, {generator}"
    )
    reference, app = combined(slices["reference"]), combined(slices["app"])
    for name, figures in (("bare aiohttp+asyncpg", reference), ("app (python -m gallery)", app)):
        print(
            f"  {name:24} {figures['per_second']:7.0f} updates/s  p50 {figures['p50_ms']:6.2f} ms"
            f"  p99 {figures['p99_ms']:6.2f} ms  ({figures['requests']:.0f} requests)"
        )
    for key, name, target in (("per_second", "updates/s", ">= 0.6x"), ("p99_ms", "p99", "<= 2x")):
        print(rounds_line(name, slices["app"], slices["reference"], key, target))
    if "cpu_ms" in app:
        print(cpu_line("CPU per update", app["cpu_ms"], reference["cpu_ms"]))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0, help="load on each server, in all")
    parser.add_argument("--rounds", type=int, default=5, help="slices the seconds are cut into")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--python", action="store_true", help="Python load generator, not wrk")
    args = parser.parse_args()
    secret = Settings().webhook_secret  # the app runs without a token: the same derived secret
    report(args, await measure(secret, args))


if __name__ == "__main__":
    asyncio.run(main())
