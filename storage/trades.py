"""SQL that writes trades and their items, and locks what they name. Callers hold the
transaction; the rules are gallery/trades/, the reads storage/trade_views.py."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import asyncpg

from storage.db import Connection
from storage.errors import Conflict, NotFound
from storage.models import Row
from storage.objects import object_visible_to

Side = Literal["give", "take"]
TradeStatus = Literal[
    "pending", "accepted", "declined", "cancelled", "expired", "invalidated", "countered"
]

TRADE_COLUMNS = """
    t.id, t.proposer_id, t.recipient_id, t.message, t.status, t.status_reason, t.version,
    t.parent_id, t.expires_at, t.created_at, t.decided_at
"""


class TradeRow(Row):
    id: int
    proposer_id: int
    recipient_id: int
    message: str
    status: TradeStatus
    status_reason: str | None
    version: int
    parent_id: int | None
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None


class TradeItem(Row):
    trade_id: int
    object_id: int | None  # None once the object was deleted (the trade was closed by then)
    side: Side
    owner_id: int  # the owner the trade was proposed against
    title: str  # the title the trade was proposed with: what both people were shown


class ProposedObject(Row):
    """An object named in a new trade, held FOR SHARE, and whether each side may see it."""

    id: int
    owner_id: int
    title: str
    visible: bool  # to the proposer
    visible_to_recipient: bool
    received_at: datetime | None  # by a trade or transfer: a hold may apply


def trade_row(row: asyncpg.Record | None) -> TradeRow:
    if row is None:
        raise RuntimeError("a trade statement returned no row")
    return TradeRow.model_validate(dict(row))


async def lock_person(conn: Connection, user_id: int) -> None:
    """Serialise one person's proposing, so the cap and the duplicate check hold under races.
    NO KEY UPDATE does not block the foreign-key checks of rows that reference the person."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", user_id)


# FOR SHARE in id order: the owners checked stay true until commit, and an accept moving one of
# these objects waits for this trade to commit, so its invalidation then sees the trade too.
PROPOSED = f"""
SELECT o.id, o.owner_id, o.title, o.received_at, {object_visible_to("o", "u", "$2")} AS visible,
       {object_visible_to("o", "u", "$3")} AS visible_to_recipient
FROM art_objects o JOIN users u ON u.id = o.owner_id
WHERE o.id = ANY($1::bigint[]) ORDER BY o.id FOR SHARE OF o
"""


async def share_lock_objects(
    conn: Connection, object_ids: list[int], proposer: int, recipient: int
) -> list[ProposedObject]:
    rows = await conn.fetch(PROPOSED, sorted(set(object_ids)), proposer, recipient)
    return [ProposedObject.model_validate(dict(r)) for r in rows]


async def count_pending_trades(conn: Connection, proposer_id: int) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM trades WHERE proposer_id = $1 AND status = 'pending'", proposer_id
    )
    return count


async def pending_trade_between(
    conn: Connection, proposer_id: int, recipient_id: int
) -> int | None:
    """The pending trade from one person to the other, if any (there is at most one)."""
    found: int | None = await conn.fetchval(
        "SELECT id FROM trades WHERE proposer_id = $1 AND recipient_id = $2"
        " AND status = 'pending'",
        proposer_id,
        recipient_id,
    )
    return found


INSERT = f"""
INSERT INTO trades AS t (proposer_id, recipient_id, message, expires_at, parent_id)
VALUES ($1, $2, $3, $4, $5) RETURNING {TRADE_COLUMNS}
"""


async def insert_trade(
    conn: Connection,
    *,
    proposer_id: int,
    recipient_id: int,
    message: str,
    expires_at: datetime,
    parent_id: int | None = None,
) -> TradeRow:
    try:
        row = await conn.fetchrow(
            INSERT, proposer_id, recipient_id, message, expires_at, parent_id
        )
    except asyncpg.UniqueViolationError:  # the caller checked under the person's lock
        raise Conflict(
            "you already have an open trade with this person; wait for the answer or withdraw it",
            code="trade_to_person_pending",
        ) from None
    return trade_row(row)


async def insert_items(conn: Connection, items: list[TradeItem]) -> None:
    """The lines of one trade, as shown to both people."""
    await conn.execute(
        """INSERT INTO trade_items (trade_id, object_id, side, owner_id, title)
           SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[],
                                $5::text[])""",
        [i.trade_id for i in items],
        [i.object_id for i in items],
        [i.side for i in items],
        [i.owner_id for i in items],
        [i.title for i in items],
    )


async def get_trade(conn: Connection, trade_id: int, *, lock: bool = False) -> TradeRow:
    sql = f"SELECT {TRADE_COLUMNS} FROM trades t WHERE t.id = $1"
    row = await conn.fetchrow(sql + (" FOR UPDATE" if lock else ""), trade_id)
    if row is None:
        raise NotFound(f"trade {trade_id} does not exist")
    return trade_row(row)


DECIDE = f"""
UPDATE trades t SET status = $2, status_reason = $3, decided_at = now(), version = t.version + 1
WHERE t.id = $1 AND t.status = 'pending' RETURNING {TRADE_COLUMNS}
"""


async def decide(
    conn: Connection, trade_id: int, status: TradeStatus, reason: str | None = None
) -> TradeRow:
    """Close a pending trade the caller holds locked."""
    row = await conn.fetchrow(DECIDE, trade_id, status, reason)
    if row is None:
        raise RuntimeError(f"trade {trade_id} was not pending under lock")
    return trade_row(row)


async def prefer_generic_plans(conn: Connection) -> None:
    """For the rest of the transaction, plan statements once per connection. The lock and move
    statements take `= ANY($1)` arrays, which PostgreSQL otherwise plans afresh on every call:
    about half of the database's time in an accept. Only here: for every query (set on the
    pool) it made search 30x slower at 1M objects (bench/scale.py), whose best plan depends on
    the words searched."""
    await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")


# Locks the trade's row and re-checks it in one statement: still pending, the version the
# person saw, not past its expiry. No row back means one of those failed (read it to say which).
DECIDE_CURRENT = f"""
UPDATE trades t SET status = $2, status_reason = $3, decided_at = now(), version = t.version + 1
WHERE t.id = $1 AND t.status = 'pending' AND t.version = $4 AND t.expires_at > now()
RETURNING {TRADE_COLUMNS}
"""


async def decide_current(
    conn: Connection, trade_id: int, version: int, status: TradeStatus, reason: str | None = None
) -> TradeRow | None:
    row = await conn.fetchrow(DECIDE_CURRENT, trade_id, status, reason, version)
    return None if row is None else trade_row(row)


# SKIP LOCKED: a trade someone is accepting or declining right now is theirs to finish (an
# accept re-checks the expiry itself), and two replicas never wait on, or expire, the same row.
EXPIRE_DUE = f"""
WITH due AS (
    SELECT id FROM trades
    WHERE status = 'pending' AND expires_at < now()
    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
)
UPDATE trades t SET status = 'expired', status_reason = 'the trade expired',
       decided_at = now(), version = t.version + 1
FROM due WHERE t.id = due.id AND t.status = 'pending'
RETURNING {TRADE_COLUMNS}
"""


async def expire_due(conn: Connection, limit: int) -> list[TradeRow]:
    return [trade_row(r) for r in await conn.fetch(EXPIRE_DUE, limit)]
