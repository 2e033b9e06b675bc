"""The rows bench/trades.py accepts: people, their objects, pending one-for-one trades; and
the ledger it checks after."""

from __future__ import annotations

import asyncpg

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


async def check_ledger(database_url: str) -> dict[str, int]:
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow(
            """SELECT (SELECT count(*) FROM trades) AS trades,
                      (SELECT count(*) FROM trades WHERE status = 'accepted') AS accepted,
                      (SELECT count(*) FROM ownership_history WHERE reason = 'trade') AS moves,
                      (SELECT count(*) FROM art_objects o JOIN trade_items i
                         ON i.object_id = o.id WHERE i.owner_id = o.owner_id) AS unmoved"""
        )
    finally:
        await conn.close()
    assert row is not None
    return dict(row)


def consistent(ledger: dict[str, int]) -> bool:
    """Each accepted trade moved its two objects once; every other trade's stayed put."""
    return ledger["moves"] == 2 * ledger["accepted"] and ledger["unmoved"] == 2 * (
        ledger["trades"] - ledger["accepted"]
    )


def interleaved(boxes: dict[int, list[int]]) -> list[tuple[int, int]]:
    """(trade, recipient) taking each recipient's trades in turn, so concurrent clients work
    for different people."""
    return [(ids[k], user) for k in range(max(map(len, boxes.values())))
            for user, ids in boxes.items() if k < len(ids)]  # fmt: skip
