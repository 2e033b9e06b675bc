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

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import describe, free_port, have_wrk, running_app, scratch_database, wrk
from sandbox.signer import sign_init_data

SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the local emulator's well-known token
RECIPIENT_BASE = 810_000
PROPOSER_BASE = 820_000
SEED_USERS = """
INSERT INTO users (id, first_name)
SELECT n, 'Trader ' || n FROM unnest($1::bigint[]) n
"""
# one object per (trade, side): the proposer's to give, the recipient's to take
SEED_OBJECTS = """
WITH lines AS (
    SELECT r, k, $3::bigint + (r * $2 + k) % $4 AS proposer
    FROM generate_series(0, $1 - 1) r, generate_series(0, $2 - 1) k
), sides AS (
    SELECT r, k, 'give' AS side, proposer AS owner FROM lines
    UNION ALL SELECT r, k, 'take', $5::bigint + r FROM lines
), photos_in AS (
    INSERT INTO photos (sha256, dhash, width, height, format, byte_size, original_key,
                        preview_key, thumb_key, uploaded_by)
    SELECT encode(sha256((r || '/' || k || '/' || side)::bytea), 'hex'), 0, 10, 10, 'jpeg', 1,
           'o', 'p', 't', owner FROM sides
    RETURNING id, uploaded_by
)
INSERT INTO art_objects (photo_id, title, creator_id, owner_id)
SELECT id, 'Piece ' || id, uploaded_by, uploaded_by FROM photos_in
"""
SEED_TRADES = """
WITH pairs AS (
    SELECT g.id AS give_id, g.owner_id AS proposer, g.title AS give_title,
           t.id AS take_id, t.owner_id AS recipient, t.title AS take_title
    FROM (SELECT id, owner_id, title, row_number() OVER (ORDER BY id) AS n FROM art_objects
          WHERE owner_id >= $1) g
    JOIN (SELECT id, owner_id, title, row_number() OVER (ORDER BY owner_id, id) AS n
          FROM art_objects WHERE owner_id < $1) t USING (n)
), proposed AS (
    INSERT INTO trades (proposer_id, recipient_id, expires_at)
    SELECT proposer, recipient, now() + interval '1 day' FROM pairs ORDER BY give_id
    RETURNING id, proposer_id, recipient_id
), numbered AS (
    SELECT p.id, row_number() OVER (ORDER BY p.id) AS n FROM proposed p
), items AS (
    SELECT n.id AS trade_id, p.give_id, p.proposer, p.give_title, p.take_id, p.recipient,
           p.take_title
    FROM numbered n JOIN (SELECT *, row_number() OVER (ORDER BY give_id) AS n FROM pairs) p
    USING (n)
)
INSERT INTO trade_items (trade_id, object_id, side, owner_id, title)
SELECT trade_id, give_id, 'give', proposer, give_title FROM items
UNION ALL SELECT trade_id, take_id, 'take', recipient, take_title FROM items
"""


async def seed(database_url: str, clients: int, trades: int, proposers: int) -> None:
    """`clients` recipients with `trades` pending one-for-one trades each."""
    conn = await asyncpg.connect(database_url)
    try:
        recipients = [RECIPIENT_BASE + n for n in range(clients)]
        givers = [PROPOSER_BASE + n for n in range(proposers)]
        await conn.execute(SEED_USERS, recipients + givers)
        await conn.execute(SEED_OBJECTS, clients, trades, PROPOSER_BASE, proposers, RECIPIENT_BASE)
        await conn.execute(SEED_TRADES, PROPOSER_BASE)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def login(session: aiohttp.ClientSession, base: str, user_id: int) -> str:
    init_data = sign_init_data(SANDBOX_TOKEN, {"id": user_id, "first_name": f"Trader {user_id}"})
    async with session.post(f"{base}/api/auth", json={"init_data": init_data}) as response:
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"login of {user_id} answered {response.status}: {body}")
        return str(body["access_token"])


async def incoming(database_url: str) -> dict[int, list[int]]:
    conn = await asyncpg.connect(database_url)
    try:
        rows = await conn.fetch("SELECT id, recipient_id FROM trades ORDER BY id")
    finally:
        await conn.close()
    boxes: dict[int, list[int]] = {}
    for row in rows:
        boxes.setdefault(row["recipient_id"], []).append(row["id"])
    return boxes


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


async def check_ledger(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow(
            """SELECT (SELECT count(*) FROM trades WHERE status = 'accepted') AS accepted,
                      (SELECT count(*) FROM ownership_history WHERE reason = 'trade') AS moves,
                      (SELECT count(*) FROM art_objects o JOIN trade_items i
                         ON i.object_id = o.id WHERE i.owner_id = o.owner_id) AS unmoved"""
        )
    finally:
        await conn.close()
    assert row is not None
    return dict(row)


async def with_wrk(
    base: str, tokens: dict[int, str], boxes: dict[int, list[int]], args: argparse.Namespace
) -> tuple[dict[str, float], Counter[int]]:
    """Interleave the recipients' trades so the 32 connections work for different people."""
    lines = [f"{ids[k]}\t{tokens[user]}" for k in range(max(map(len, boxes.values())))
             for user, ids in boxes.items() if k < len(ids)]  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".tsv") as plan:
        plan.write("\n".join(lines) + "\n")
        plan.flush()
        # stop before the plan runs out: at most as long as the trades last at ~1,000/s
        seconds = min(args.seconds, max(2.0, len(lines) / 1000))
        figures = await asyncio.to_thread(
            wrk,
            base + "/health",
            seconds,
            args.clients,
            script=Path(__file__).with_name("trades.lua"),
            env={"TRADES_PLAN": plan.name},
            warm_s=0,
        )
    return figures, Counter({200: int(figures["requests"])})


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


async def measure(args: argparse.Namespace) -> None:
    async with scratch_database() as database_url, running_app(database_url, free_port()) as base:
        await seed(database_url, args.clients, args.trades, args.proposers)
        boxes = await incoming(database_url)
        async with aiohttp.ClientSession() as session:
            tokens = {user: await login(session, base, user) for user in boxes}
        use_wrk = have_wrk() and not args.python
        run = with_wrk if use_wrk else with_aiohttp
        figures, statuses = await run(base, tokens, boxes, args)
        ledger = await check_ledger(database_url)
    report(args, figures, statuses, ledger, "wrk" if use_wrk else "aiohttp")


def report(
    args: argparse.Namespace,
    figures: dict[str, float],
    statuses: Counter[int],
    ledger: dict[str, int],
    generator: str,
) -> None:
    errors = sum(n for status, n in statuses.items() if status != 200)
    print(
        f"POST /api/trades/{{id}}/accept: {args.clients} clients x {args.trades} trades "
        f"(one-for-one, {args.proposers} proposers), load from {generator}"
    )
    print(
        f"  {figures['per_second']:7.0f} trades/s  p50 {figures['p50_ms']:6.1f} ms"
        f"  p99 {figures['p99_ms']:6.1f} ms  ({figures['requests']:.0f} requests)  target >= 500/s"
    )
    print(f"  answers {dict(sorted(statuses.items()))}; not 200: {errors} (target 0)")
    print(
        f"  ledger: {ledger['accepted']} accepted, {ledger['moves']} moves in history, "
        f"{ledger['unmoved']} objects of trades still with their first owner"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--trades", type=int, default=150, help="trades per client")
    parser.add_argument("--proposers", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=10.0, help="wrk: at most this long")
    parser.add_argument("--python", action="store_true", help="aiohttp clients, not wrk")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
