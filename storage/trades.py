"""SQL for trade offers and their items. Callers hold the transaction; see gallery/trades.py."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import asyncpg

from storage.db import Connection
from storage.errors import Conflict, NotFound
from storage.models import Row
from storage.objects import OWNER_NAME, visible_to

Side = Literal["give", "take"]
Box = Literal["incoming", "outgoing"]
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
    object_id: int | None  # None once the object was deleted (the offer was closed by then)
    side: Side
    owner_id: int  # the owner the offer was made against
    title: str  # the title the offer was made with: what both people were shown


class ProposedObject(Row):
    """An object named in a new offer, held FOR SHARE, and whether each side may see it."""

    id: int
    owner_id: int
    title: str
    visible: bool  # to the proposer
    visible_to_recipient: bool


class ItemDetail(TradeItem):
    """A line as the viewer may see it now: where its object is hidden from them (or gone),
    everything but the line itself (the title both people were shown) is None."""

    visible: bool
    current_owner_id: int | None
    current_owner_name: str | None
    photo_id: int | None
    thumb_key: str | None
    placeholder: str | None


def _trade(row: asyncpg.Record | None) -> TradeRow:
    if row is None:
        raise RuntimeError("a trade statement returned no row")
    return TradeRow.model_validate(dict(row))


async def lock_person(conn: Connection, user_id: int) -> None:
    """Serialise one person's offer making, so the cap and the duplicate check hold under races.
    NO KEY UPDATE does not block the foreign-key checks of rows that reference the person."""
    await conn.execute("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE", user_id)


# FOR SHARE in id order: the owners checked stay true until commit, and an accept moving one of
# these objects waits for this offer to commit, so its invalidation then sees the offer too.
PROPOSED = f"""
SELECT o.id, o.owner_id, o.title, {visible_to("u", "$2")} AS visible,
       {visible_to("u", "$3")} AS visible_to_recipient
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
    """The pending offer from one person to the other, if any (there is at most one)."""
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
            "you already have an open offer to this person; wait for the answer or withdraw it",
            code="offer_pending",
        ) from None
    return _trade(row)


async def insert_items(conn: Connection, items: list[TradeItem]) -> None:
    """The lines of one offer, as shown to both people."""
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
        raise NotFound(f"trade offer {trade_id} does not exist")
    return _trade(row)


DECIDE = f"""
UPDATE trades t SET status = $2, status_reason = $3, decided_at = now(), version = t.version + 1
WHERE t.id = $1 AND t.status = 'pending' RETURNING {TRADE_COLUMNS}
"""


async def decide(
    conn: Connection, trade_id: int, status: TradeStatus, reason: str | None = None
) -> TradeRow:
    """Close a pending offer the caller holds locked."""
    row = await conn.fetchrow(DECIDE, trade_id, status, reason)
    if row is None:
        raise RuntimeError(f"trade {trade_id} was not pending under lock")
    return _trade(row)


async def prefer_generic_plans(conn: Connection) -> None:
    """For the rest of the transaction, plan statements once per connection. The lock and
    invalidation statements take `= ANY($1)` arrays, which PostgreSQL otherwise plans afresh on
    every call: about half of the database's time in an accept."""
    await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")


# Locks the offer's row and re-checks it in one statement: still pending, the version the
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
    return None if row is None else _trade(row)


# SKIP LOCKED: an offer someone is accepting or declining right now is theirs to finish (an
# accept re-checks the expiry itself), and two replicas never wait on, or expire, the same row.
EXPIRE_DUE = f"""
WITH due AS (
    SELECT id FROM trades
    WHERE status = 'pending' AND expires_at < now()
    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
)
UPDATE trades t SET status = 'expired', status_reason = 'the offer expired',
       decided_at = now(), version = t.version + 1
FROM due WHERE t.id = due.id AND t.status = 'pending'
RETURNING {TRADE_COLUMNS}
"""


async def expire_due(conn: Connection, limit: int) -> list[TradeRow]:
    return [_trade(r) for r in await conn.fetch(EXPIRE_DUE, limit)]


LIST = f"""
SELECT {TRADE_COLUMNS} FROM trades t
WHERE (CASE WHEN $2 = 'incoming' THEN t.recipient_id ELSE t.proposer_id END) = $1
  AND ($3::text IS NULL OR t.status = $3) AND ($4::bigint IS NULL OR t.id < $4)
ORDER BY t.id DESC LIMIT $5
"""


async def list_trades(
    conn: Connection,
    user_id: int,
    box: Box,
    *,
    status: TradeStatus | None,
    before_id: int | None,
    limit: int,
) -> list[TradeRow]:
    rows = await conn.fetch(LIST, user_id, box, status, before_id, limit)
    return [_trade(r) for r in rows]


# One row per line, each carrying its offer and both parties' names: a whole view in one trip.
# What the viewer may not see now (the owner went private, the object moved to someone private,
# or it was deleted) comes back NULL: only the line as offered, with the title both saw, is left.
TRADE_LINES = f"""
SELECT {TRADE_COLUMNS}, t.id AS trade_id,
       {OWNER_NAME.replace("u.", "pu.")} AS proposer_name,
       {OWNER_NAME.replace("u.", "ru.")} AS recipient_name,
       i.object_id, i.side, i.owner_id, i.title, v.visible,
       CASE WHEN v.visible THEN o.owner_id END AS current_owner_id,
       CASE WHEN v.visible THEN {OWNER_NAME} END AS current_owner_name,
       CASE WHEN v.visible THEN p.id END AS photo_id,
       CASE WHEN v.visible THEN p.thumb_key END AS thumb_key,
       CASE WHEN v.visible THEN p.placeholder END AS placeholder
FROM trades t
JOIN users pu ON pu.id = t.proposer_id
JOIN users ru ON ru.id = t.recipient_id
JOIN trade_items i ON i.trade_id = t.id
LEFT JOIN art_objects o ON o.id = i.object_id
LEFT JOIN photos p ON p.id = o.photo_id
LEFT JOIN users u ON u.id = o.owner_id
CROSS JOIN LATERAL (SELECT o.id IS NOT NULL AND {visible_to("u", "$2")} AS visible) v
WHERE {{where}}
ORDER BY t.id DESC, i.side, i.title, i.id
"""
# `t.id = $1` keeps one generic plan per connection; ANY($1) is planned afresh on every call
TRADE_ONE = TRADE_LINES.format(where="t.id = $1")
TRADE_MANY = TRADE_LINES.format(where="t.id = ANY($1::bigint[])")


class TradeView(Row):
    """An offer as its parties see it: both sides' objects and the people by name."""

    trade: TradeRow
    names: dict[int, str]
    items: list[ItemDetail]


async def trade_view(conn: Connection, trade_id: int, viewer: int) -> TradeView | None:
    """The offer as `viewer` may see it (the caller checks they are one of its parties)."""
    found = _trade_views(await conn.fetch(TRADE_ONE, trade_id, viewer))
    return found[0] if found else None


async def trade_views(conn: Connection, trade_ids: list[int], viewer: int) -> list[TradeView]:
    """Offers with their lines and parties as `viewer` may see them, newest first."""
    return _trade_views(await conn.fetch(TRADE_MANY, trade_ids, viewer))


def _trade_views(records: list[asyncpg.Record]) -> list[TradeView]:
    trades: dict[int, TradeRow] = {}
    names: dict[int, dict[int, str]] = {}
    items: dict[int, list[ItemDetail]] = {}
    for record in records:
        row = dict(record)
        if row["id"] not in trades:
            trade = trades[row["id"]] = TradeRow.model_validate(row)
            names[trade.id] = {
                trade.proposer_id: row["proposer_name"],
                trade.recipient_id: row["recipient_name"],
            }
            items[trade.id] = []
        items[row["id"]].append(ItemDetail.model_validate(row))
    return [TradeView(trade=t, names=names[i], items=items[i]) for i, t in trades.items()]


async def names(conn: Connection, user_ids: list[int]) -> dict[int, str]:
    """Display names of people, by id."""
    rows = await conn.fetch(
        f"SELECT u.id, {OWNER_NAME} AS name FROM users u WHERE u.id = ANY($1::bigint[])",
        user_ids,
    )
    return {r["id"]: r["name"] for r in rows}
