"""Pushes at MAX's limit for a minute: how many went out per second, and none lost or doubled.

A sandbox with MAX's real limits (30 requests/s per bot, 2/s per chat) and two push senders
(as two replicas would run) drain an outbox of distinct pushes to 200 chats. Figures: sent per
second (median and busiest second), dropped, duplicated, and the sandbox's limit violations.

    python bench/outbox.py [--pushes 1900] [--senders 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import scratch_database
from bot.client import MaxClient
from bot.pacer import SharedPacer
from bot.sender import OutboxSender, SenderLimits
from bot.services import BotIdentity
from config.settings import DatabaseSettings
from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox
from storage.db import create_pool
from storage.media import LocalMediaStore
from storage.migrate import migrate

CHATS = 200


async def seed(pool: asyncpg.Pool, sandbox: RunningSandbox, pushes: int) -> None:
    async with pool.acquire() as conn:
        await migrate(conn)
        for n in range(CHATS):
            created = await sandbox.control.create_user(f"P{n}", language_code="en")
            await conn.execute(
                "INSERT INTO users (id, first_name, language, dialog_chat_id) "
                "VALUES ($1, $2, 'en', $3)",
                created["user"]["user_id"],
                f"P{n}",
                created["chat_id"],
            )
        await conn.execute(
            """INSERT INTO outbox (user_id, chat_id, kind, body)
               SELECT u.id, u.dialog_chat_id, 'send',
                      jsonb_build_object('message', jsonb_build_object('text', 'push ' || n))
               FROM generate_series(0, $1::int - 1) n
               JOIN (SELECT id, dialog_chat_id, row_number() OVER (ORDER BY id) - 1 AS k
                     FROM users) u ON u.k = n % $2""",
            pushes,
            CHATS,
        )


def per_second(sandbox: RunningSandbox) -> list[int]:
    stamps = sorted(
        datetime.fromisoformat(r["time"]).timestamp()
        for r in sandbox.state.request_log
        if r["path"] == "/messages" and r["method"] == "POST" and r["status"] == 200
    )
    buckets = Counter(int(s - stamps[0]) for s in stamps)
    return [buckets[k] for k in range(max(buckets) + 1)]


def busiest_window(sandbox: RunningSandbox) -> int:
    """The most requests of any kind MAX saw in one sliding second."""
    stamps = sorted(
        datetime.fromisoformat(r["time"]).timestamp()
        for r in sandbox.state.request_log
        if not r["path"].startswith("/_")
    )
    best, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


async def drained(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        while True:
            if not await conn.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'"):
                return
            await asyncio.sleep(0.5)


async def run(pushes: int, senders: int) -> None:
    async with scratch_database() as url, run_sandbox(SandboxConfig()) as sandbox:
        pool = await create_pool(url, DatabaseSettings(pool_min=2, pool_max=10))
        try:
            await seed(pool, sandbox, pushes)
            started = time.monotonic()
            client = MaxClient(sandbox.token, base_url=sandbox.base_url, pacer=SharedPacer(pool))
            async with client:
                store = LocalMediaStore(Path("/nonexistent"))  # text pushes only
                identity = BotIdentity(1, "gallery_bench_bot", "Gallery")
                replicas = [
                    OutboxSender(pool, client, SenderLimits(), store, identity)
                    for _ in range(senders)
                ]
                tasks = [asyncio.create_task(replica.run()) for replica in replicas]
                await drained(pool)
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            elapsed = time.monotonic() - started
            async with pool.acquire() as conn:
                rows = await conn.fetch("SELECT status, count(*) AS n FROM outbox GROUP BY 1")
                statuses = {r["status"]: r["n"] for r in rows}
        finally:
            await pool.close()
        report(sandbox, pushes, senders, elapsed, statuses)


def report(
    sandbox: RunningSandbox, pushes: int, senders: int, elapsed: float, statuses: dict[str, int]
) -> None:
    bot = sandbox.state.config.bot_user_id
    received = [m.text for m in sandbox.state.messages.values() if m.sender_id == bot]
    counts = Counter(received)
    rates = per_second(sandbox)[1:-1] or per_second(sandbox)
    print(f"outbox: {pushes} pushes to {CHATS} chats, {senders} senders, {elapsed:.1f} s")
    print(
        f"  sent/s     median {statistics.median(rates):5.1f}   busiest second {max(rates)}"
        f"   (MAX allows 30)"
    )
    print(f"  busiest sliding second at the sandbox: {busiest_window(sandbox)} requests")
    print(
        f"  delivered  {len(counts)} distinct of {pushes}   dropped {pushes - len(counts)}"
        f"   duplicates {sum(n - 1 for n in counts.values())}"
    )
    print(f"  outbox     {statuses}")
    print(f"  limit violations at the sandbox: {len(sandbox.state.limit_violations)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pushes", type=int, default=1900)
    parser.add_argument("--senders", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(run(args.pushes, args.senders))


if __name__ == "__main__":
    main()
