"""The reference for bench/trades.py: the same accepts as SQL alone, over asyncpg, at the same
concurrency, with no HTTP, no authentication and no rules in Python. Each accept is one
transaction of the app's own statements: the trade's lines read, the objects locked in id order,
the trade decided under its lock, the objects moved with their history, other trades and
transfers naming them voided, and one outbox row queued for the proposer. Workers share a pool
as large as the app's (settings' `database.pool_max`), so the database sees the same number of
connections; generic plans are set per connection, not per transaction.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator

import asyncpg
import orjson

from bench.harness import describe
from storage.db import Connection
from storage.outbox_queue import ENQUEUE
from storage.ownership import INVALIDATE_TRADES, INVALIDATE_TRANSFERS, LOCK, MOVE
from storage.trades import DECIDE_CURRENT

LINES = """
SELECT i.object_id, i.side, i.owner_id, i.title, t.proposer_id, t.recipient_id, t.version
FROM trade_items i JOIN trades t ON t.id = i.trade_id WHERE i.trade_id = $1
"""


async def accept(conn: Connection, trade_id: int) -> bool:
    """One trade accepted by its recipient, as the app's statements do it; False if refused."""
    async with conn.transaction():
        lines = await conn.fetch(LINES, trade_id)
        version = lines[0]["version"]
        await conn.fetch(LOCK, sorted(line["object_id"] for line in lines))
        decided = await conn.fetchrow(DECIDE_CURRENT, trade_id, "accepted", None, version)
        if decided is None:
            return False
        await move(conn, trade_id, lines)
        await tell_proposer(conn, trade_id, lines[0])
        return True


async def move(conn: Connection, trade_id: int, lines: list[asyncpg.Record]) -> None:
    """Both objects to their new owners with history; other trades and transfers naming them
    voided."""
    to_user = {"give": lines[0]["recipient_id"], "take": lines[0]["proposer_id"]}
    ids = [line["object_id"] for line in lines]
    moved = await conn.fetch(
        MOVE, ids, [line["owner_id"] for line in lines],
        [to_user[line["side"]] for line in lines], "trade", trade_id,
    )  # fmt: skip
    if len(moved) != len(lines):
        raise RuntimeError(f"trade {trade_id}: moved {len(moved)} of {len(lines)}")
    await conn.fetch(INVALIDATE_TRADES, ids, trade_id, "an object in it changed hands", "moved")
    await conn.fetch(INVALIDATE_TRANSFERS, ids, 0, "moved")


async def tell_proposer(conn: Connection, trade_id: int, trade: asyncpg.Record) -> None:
    notice = {"notice": {"kind": "trade_decided", "trade_id": trade_id, "outcome": "accepted"}}
    await conn.fetchval(
        ENQUEUE, trade["proposer_id"], None, "send", orjson.dumps(notice).decode(),
        f"trade:{trade_id}:v{trade['version'] + 1}:{trade['proposer_id']}", trade["recipient_id"],
    )  # fmt: skip


async def worker(
    pool: asyncpg.Pool,
    plan: Iterator[int],
    until: float,
    latencies: list[float],
    outcomes: Counter[str],
) -> None:
    for trade_id in plan:
        if time.monotonic() >= until:
            return
        started = time.perf_counter()
        async with pool.acquire() as conn:
            try:
                outcomes["accepted" if await accept(conn, trade_id) else "refused"] += 1
            except asyncpg.PostgresError as error:
                outcomes[type(error).__name__] += 1
        latencies.append(time.perf_counter() - started)


async def accept_with_sql(
    database_url: str, trade_ids: list[int], workers: int, pool_max: int, seconds: float
) -> tuple[dict[str, float], Counter[str]]:
    """`workers` tasks take the next trade of `trade_ids` until none is left or time is up."""
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    plan = iter(trade_ids)
    async with asyncpg.create_pool(
        database_url,
        min_size=pool_max,
        max_size=pool_max,
        server_settings={"plan_cache_mode": "force_generic_plan"},
    ) as pool:
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(worker(pool, plan, until, latencies, outcomes) for _ in range(workers))
        )
        elapsed = time.monotonic() - started
    return describe(latencies, elapsed), outcomes
