"""Updates per second and answer latency through the real webhook path, against a bare reference.

The app runs as `python -m gallery` in its own process (sandbox standing in for MAX) on a scratch
PostgreSQL database; distinct `message_created` updates (`/help`) arrive at 32 concurrent
deliveries. Each goes through the secret check, parsing, the idempotency insert, the user upsert
and a handler that writes its reply to the outbox.

In the same run, first, a bare aiohttp + asyncpg server (bench/webhook_reference.py: the secret
compared in constant time, the JSON parsed, the idempotency key inserted, one outbox row
written) takes the same load on a database of its own with the app's schema; the ratios of the
app's figures to its figures are what to compare across machines.

The load comes from wrk (Debian package `wrk`) when it is installed: on two shared cores a Python
load generator takes CPU from the app and adds its own loop lag to every latency it measures.
`--python` forces the Python generator.

    python bench/webhook.py [--seconds 15] [--concurrency 32] [--python]
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
from bench.reference import cpu_line, migrated, ratio_line, running_script, server_process
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


def wrk_load(url: str, secret: str, args: argparse.Namespace, server: str) -> dict[str, float]:
    script = Path(__file__).with_name("webhook.lua")
    env = {"WEBHOOK_SECRET": secret}
    return wrk(
        url, args.seconds, args.concurrency, script=script, env=env, cpu_of=server_process(server)
    )


async def drive(url: str, secret: str, args: argparse.Namespace, server: str) -> dict[str, float]:
    """The load on `url`; with wrk also the CPU per update of the process running `server`."""
    if have_wrk() and not args.python:
        return await asyncio.to_thread(wrk_load, url, secret, args, server)
    return await load(url, secret, args.seconds, args.concurrency)


async def measure_reference(secret: str, args: argparse.Namespace) -> dict[str, float]:
    async with scratch_database() as database_url:
        await migrated(database_url)
        port = free_port()
        url = f"http://127.0.0.1:{port}/max/webhook"
        async with running_script(REFERENCE, database_url, str(port), secret, ready_url=url):
            return await drive(url, secret, args, REFERENCE.name)


async def measure_app(secret: str, args: argparse.Namespace) -> dict[str, float]:
    async with (
        scratch_database() as database_url,
        running_app(database_url, free_port(), **LIFTED_LIMITS) as base,
    ):
        return await drive(f"{base}/max/webhook", secret, args, "gallery")


def report(args: argparse.Namespace, reference: dict[str, float], app: dict[str, float]) -> None:
    generator = "python" if args.python or not have_wrk() else "wrk"
    print(f"webhook: {args.concurrency} concurrent deliveries, {args.seconds:.0f} s, {generator}")
    for name, figures in (("bare aiohttp+asyncpg", reference), ("app (python -m gallery)", app)):
        print(
            f"  {name:24} {figures['per_second']:7.0f} updates/s  p50 {figures['p50_ms']:6.2f} ms"
            f"  p99 {figures['p99_ms']:6.2f} ms  ({figures['requests']:.0f} requests)"
        )
    print(ratio_line("updates/s", app["per_second"], reference["per_second"], ">= 0.6x"))
    print(ratio_line("p99", app["p99_ms"], reference["p99_ms"], "<= 2x"))
    if "cpu_ms" in app:
        print(cpu_line("CPU per update", app["cpu_ms"], reference["cpu_ms"]))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--python", action="store_true", help="Python load generator, not wrk")
    args = parser.parse_args()
    secret = Settings().webhook_secret  # the app runs without a token: the same derived secret
    reference = await measure_reference(secret, args)
    app = await measure_app(secret, args)
    report(args, reference, app)


if __name__ == "__main__":
    asyncio.run(main())
