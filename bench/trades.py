"""Accepted trades per second through POST /api/trades/{id}/accept at 32 concurrent clients.

The app runs as `python -m gallery` in its own process (sandbox mode, a scratch database on
BENCH_DATABASE_URL's server, default the local PostgreSQL, dropped at the end). People, objects
and pending one-for-one trades are seeded with SQL; each client logs one recipient in through
/api/auth (launch data signed with the sandbox token) and accepts that person's trades one after
another. Every accept is a whole trade: objects locked in id order, the trade locked and checked,
two moves with history, other trades voided, the trade closed, a push queued, the trade shown.
Any answer but 200 is counted (a deadlock surfacing would be a 500); the ledger is checked after.

The load comes from wrk when installed (Debian package `wrk`: 32 connections, each request the
next trade's accept as its recipient), else from 32 aiohttp clients in this process, which take
CPU from the app on two cores.

    python bench/trades.py [--clients 32] [--trades 150] [--proposers 400] [--python]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
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
from bench.reference import cpu_line, cpu_seconds, migrated, ratio_line, server_process
from bench.trades_reference import accept_with_sql
from bench.trades_seed import check_ledger, consistent, incoming, interleaved, seed
from config.settings import Settings
from sandbox.signer import sign_init_data

SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the local emulator's well-known token


async def login(session: aiohttp.ClientSession, base: str, user_id: int) -> str:
    init_data = sign_init_data(SANDBOX_TOKEN, {"id": user_id, "first_name": f"Trader {user_id}"})
    async with session.post(f"{base}/api/auth", json={"init_data": init_data}) as response:
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"login of {user_id} answered {response.status}: {body}")
        return str(body["access_token"])


async def accept_all(
    session: aiohttp.ClientSession,
    base: str,
    token: str,
    trade_ids: list[int],
    latencies: list[float],
    statuses: Counter[int],
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for trade_id in trade_ids:
        started = time.perf_counter()
        url = f"{base}/api/trades/{trade_id}/accept"
        async with session.post(url, json={"version": 1}, headers=headers) as response:
            await response.read()
            statuses[response.status] += 1
        latencies.append(time.perf_counter() - started)


async def with_wrk(
    base: str, tokens: dict[int, str], boxes: dict[int, list[int]], args: argparse.Namespace
) -> tuple[dict[str, float], Counter[int]]:
    lines = [f"{trade}\t{tokens[user]}" for trade, user in interleaved(boxes)]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as plan:
        plan.write("\n".join(lines) + "\n")
        plan.flush()
        figures = await asyncio.to_thread(
            wrk,
            base + "/health",
            plan_seconds(len(lines), args),
            args.clients,
            script=Path(__file__).with_name("trades.lua"),
            env={"TRADES_PLAN": plan.name},
            warm_s=0,
            cpu_of=server_process("gallery"),
        )
    return figures, Counter({200: int(figures["requests"])})


def plan_seconds(trades: int, args: argparse.Namespace) -> float:
    """Stop before the plan runs out: at most as long as the trades last at ~2,000/s (a fast
    2-core machine accepted over 960/s, and 150 trades a client ran out within the 5 s that
    ~1,000/s allowed: wrk stopped on a Lua error, no figures)."""
    return min(float(args.seconds), max(2.0, trades / 2000))


async def with_aiohttp(
    base: str, tokens: dict[int, str], boxes: dict[int, list[int]], args: argparse.Namespace
) -> tuple[dict[str, float], Counter[int]]:
    connector = aiohttp.TCPConnector(limit=args.clients)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        await asyncio.gather(*(
            accept_all(session, base, tokens[user], ids, latencies, statuses)
            for user, ids in boxes.items()
        ))  # fmt: skip
        elapsed = time.monotonic() - started
    return describe(latencies, elapsed), statuses


Run = tuple[dict[str, float], Counter[Any], dict[str, int]]


async def measure_reference(args: argparse.Namespace) -> Run:
    async with scratch_database() as database_url:
        await migrated(database_url)
        await seed(database_url, args.clients, args.trades, args.proposers)
        plan = [trade for trade, _ in interleaved(await incoming(database_url))]
        pool_max = Settings().database.pool_max
        seconds = plan_seconds(len(plan), args)
        cpu_before = cpu_seconds(psutil.Process())
        figures, outcomes = await accept_with_sql(
            database_url, plan, args.clients, pool_max, seconds
        )
        used_ms = (cpu_seconds(psutil.Process()) - cpu_before) * 1000
        figures["cpu_ms"] = used_ms / figures["requests"]  # this process ran the reference
        return figures, outcomes, await check_ledger(database_url)


async def measure_app(args: argparse.Namespace) -> Run:
    async with (
        scratch_database() as database_url,
        running_app(database_url, free_port(), **LIFTED_LIMITS) as base,
    ):
        await seed(database_url, args.clients, args.trades, args.proposers)
        boxes = await incoming(database_url)
        async with aiohttp.ClientSession() as session:
            tokens = {user: await login(session, base, user) for user in boxes}
        run = with_aiohttp if args.python or not have_wrk() else with_wrk
        figures, statuses = await run(base, tokens, boxes, args)
        return figures, statuses, await check_ledger(database_url)


def report(args: argparse.Namespace, reference: Run, app: Run) -> None:
    generator = "aiohttp" if args.python or not have_wrk() else "wrk"
    print(
        f"POST /api/trades/{{id}}/accept: {args.clients} clients x {args.trades} trades "
        f"(one-for-one, {args.proposers} proposers), load from {generator}"
    )
    pool = Settings().database.pool_max
    for name, (figures, answers, ledger) in (
        (f"SQL only (asyncpg, pool {pool})", reference),
        ("app (HTTP, auth, rules)", app),
    ):
        print(
            f"  {name:28} {figures['per_second']:6.0f} trades/s  p50 {figures['p50_ms']:6.1f} ms"
            f"  p99 {figures['p99_ms']:6.1f} ms  ({figures['requests']:.0f} accepts)"
        )
        print(f"    answers {dict(sorted(answers.items()))}")
        verdict = "consistent" if consistent(ledger) else "INCONSISTENT"
        print(
            f"    ledger {verdict}: {ledger['accepted']} of {ledger['trades']} accepted, "
            f"{ledger['moves']} moves, {ledger['unmoved']} objects with their first owner"
        )
    print(ratio_line("trades/s", app[0]["per_second"], reference[0]["per_second"], ">= 0.5x"))
    if "cpu_ms" in app[0]:
        print(cpu_line("CPU per accept", app[0]["cpu_ms"], reference[0]["cpu_ms"]))
    errors = sum(n for status, n in app[1].items() if status != 200)
    print(f"  app answers not 200: {errors} (target 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--trades", type=int, default=400, help="trades per client")
    parser.add_argument("--proposers", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk: at most this long")
    parser.add_argument("--python", action="store_true", help="aiohttp clients, not wrk")
    args = parser.parse_args()
    reference = asyncio.run(measure_reference(args))
    report(args, reference, asyncio.run(measure_app(args)))


if __name__ == "__main__":
    main()
