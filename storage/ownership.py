"""SQL for moving objects between owners. Callers hold a transaction; see gallery/ownership/."""

from __future__ import annotations

from typing import Literal

from pydantic import TypeAdapter

from storage.db import Connection
from storage.models import Row
from storage.objects import object_visible_to

VoidReason = Literal["moved", "deleted", "edited", "hidden"]
# stored as the trade's status_reason, and shown by the API as the detail of its refusals
VOID_DETAIL: dict[VoidReason, str] = {
    "moved": "an object in it changed hands",
    "deleted": "an object in it was deleted",
    "edited": "an object in it was renamed",
    "hidden": "an object in it is no longer visible to both people",
}


class LockedObject(Row):
    id: int
    owner_id: int
    version: int
    title: str


class Invalidated(Row):
    kind: str  # "trade" or "transfer"
    id: int
    user_ids: list[int]
    reason: VoidReason
    title: str | None  # a transfer's object (a trade names several)


VOIDED = TypeAdapter(list[Invalidated])  # as MOVE_AND_VOID returns them, JSON text


# LockRows sits above the Sort in this plan, so the rows are locked in id order: every mover
# takes its locks in one global order and two movers cannot wait on each other for objects.
LOCK = """
SELECT id, owner_id, version, title FROM art_objects
WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE
"""


async def lock_objects(conn: Connection, object_ids: list[int]) -> list[LockedObject]:
    rows = await conn.fetch(LOCK, sorted(set(object_ids)))
    return [LockedObject.model_validate(dict(r)) for r in rows]


MOVE = """
WITH moved AS (
    UPDATE art_objects o
    SET owner_id = m.to_user, version = o.version + 1, updated_at = now(), received_at = now()
    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(object_id, from_user, to_user)
    WHERE o.id = m.object_id AND o.owner_id = m.from_user
    RETURNING o.id, m.from_user, m.to_user
)
INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason, reference_id)
SELECT id, from_user, to_user, $4, $5 FROM moved
RETURNING object_id
"""


# The bench's SQL-only reference (bench/trades_reference.py) runs MOVE and the two statements
# below as they are; the app runs them as one (MOVE_AND_VOID), or the two as INVALIDATE_NAMING.
INVALIDATE_TRADES = """
UPDATE trades t SET status = 'invalidated', status_reason = $3, decided_at = now(),
       version = t.version + 1
WHERE t.status = 'pending' AND t.id <> $2
  AND EXISTS (SELECT 1 FROM trade_items i WHERE i.trade_id = t.id
              AND i.object_id = ANY($1::bigint[]))
RETURNING 'trade' AS kind, t.id, ARRAY[t.proposer_id, t.recipient_id] AS user_ids,
          $4::text AS reason, NULL::text AS title
"""

INVALIDATE_TRANSFERS = """
UPDATE transfers t SET status = 'invalidated', decided_at = now()
WHERE t.status = 'pending' AND t.id <> $2 AND t.object_id = ANY($1::bigint[])
RETURNING 'transfer' AS kind, t.id,
          array_remove(ARRAY[t.from_user_id, t.to_user_id], NULL) AS user_ids, $3::text AS reason,
          (SELECT o.title FROM art_objects o WHERE o.id = t.object_id) AS title
"""


INVALIDATE_NAMING = """
WITH voided_trades AS (
    UPDATE trades t SET status = 'invalidated', status_reason = $4, decided_at = now(),
           version = t.version + 1
    WHERE t.status = 'pending' AND t.id <> $2
      AND EXISTS (SELECT 1 FROM trade_items i WHERE i.trade_id = t.id
                  AND i.object_id = ANY($1::bigint[]))
    RETURNING t.id, ARRAY[t.proposer_id, t.recipient_id] AS user_ids
), voided_transfers AS (
    UPDATE transfers t SET status = 'invalidated', decided_at = now()
    WHERE t.status = 'pending' AND t.id <> $3 AND t.object_id = ANY($1::bigint[])
    RETURNING t.id, array_remove(ARRAY[t.from_user_id, t.to_user_id], NULL) AS user_ids,
              (SELECT o.title FROM art_objects o WHERE o.id = t.object_id) AS title
)
SELECT 'trade' AS kind, id, user_ids, $5::text AS reason, NULL::text AS title FROM voided_trades
UNION ALL
SELECT 'transfer', id, user_ids, $5::text, title FROM voided_transfers
"""


async def invalidate_naming(
    conn: Connection,
    object_ids: list[int],
    *,
    why: VoidReason = "moved",
    except_trade: int = 0,
    except_transfer: int = 0,
) -> list[Invalidated]:
    """Every other pending trade and transfer that names one of `object_ids` is now void."""
    rows = await conn.fetch(
        INVALIDATE_NAMING, object_ids, except_trade, except_transfer, VOID_DETAIL[why], why
    )
    return [Invalidated.model_validate(dict(r)) for r in rows]


# MOVE and INVALIDATE_NAMING in one trip: $1-$5 as MOVE's, then INVALIDATE_NAMING's $2-$5 as
# $6-$9. One snapshot, taken once the caller holds the objects' locks, so every trade or transfer
# committed naming them before the move is seen and voided, as with two statements.
MOVE_AND_VOID = """
WITH moved AS (
    UPDATE art_objects o
    SET owner_id = m.to_user, version = o.version + 1, updated_at = now(), received_at = now()
    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(object_id, from_user, to_user)
    WHERE o.id = m.object_id AND o.owner_id = m.from_user
    RETURNING o.id, m.from_user, m.to_user
), recorded AS (
    INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason, reference_id)
    SELECT id, from_user, to_user, $4, $5 FROM moved
    RETURNING object_id
), voided_trades AS (
    UPDATE trades t SET status = 'invalidated', status_reason = $8, decided_at = now(),
           version = t.version + 1
    WHERE t.status = 'pending' AND t.id <> $6
      AND EXISTS (SELECT 1 FROM trade_items i WHERE i.trade_id = t.id
                  AND i.object_id = ANY($1::bigint[]))
    RETURNING 'trade' AS kind, t.id, ARRAY[t.proposer_id, t.recipient_id] AS user_ids,
              $9::text AS reason, NULL::text AS title
), voided_transfers AS (
    UPDATE transfers t SET status = 'invalidated', decided_at = now()
    WHERE t.status = 'pending' AND t.id <> $7 AND t.object_id = ANY($1::bigint[])
    RETURNING 'transfer' AS kind, t.id,
              array_remove(ARRAY[t.from_user_id, t.to_user_id], NULL) AS user_ids,
              $9::text AS reason,
              (SELECT o.title FROM art_objects o WHERE o.id = t.object_id) AS title
)
SELECT (SELECT count(*) FROM recorded) AS moved,
       (SELECT COALESCE(json_agg(v), '[]')::text
        FROM (SELECT * FROM voided_trades UNION ALL SELECT * FROM voided_transfers) v) AS voided
"""


async def move_and_void(
    conn: Connection,
    moves: list[tuple[int, int, int]],
    reason: str,
    reference_id: int,
    *,
    except_trade: int = 0,
    except_transfer: int = 0,
) -> tuple[int, list[Invalidated]]:
    """Move (object, from, to) triples whose owner is still `from`, and void every other pending
    trade and transfer naming them: the number moved, and what was voided."""
    ids = [m[0] for m in moves]
    row = await conn.fetchrow(
        MOVE_AND_VOID, ids, [m[1] for m in moves], [m[2] for m in moves], reason, reference_id,
        except_trade, except_transfer, VOID_DETAIL["moved"], "moved",
    )  # fmt: skip
    if row is None:
        raise RuntimeError("MOVE_AND_VOID returned no row")
    return row["moved"], VOIDED.validate_json(row["voided"])


# A line's object must be visible to both parties: its owner's privacy (or a revoked approval)
# can hide it from the other side after the trade was proposed.
HIDDEN_LINE = f"""
EXISTS (SELECT 1 FROM trade_items i JOIN art_objects o ON o.id = i.object_id
        JOIN users u ON u.id = o.owner_id
        WHERE i.trade_id = t.id
          AND NOT ({object_visible_to("o", "u", "t.proposer_id")}
               AND {object_visible_to("o", "u", "t.recipient_id")}))
"""

INVALIDATE_HIDDEN = f"""
UPDATE trades t SET status = 'invalidated', status_reason = $2, decided_at = now(),
       version = t.version + 1
WHERE t.status = 'pending' AND $1 IN (t.proposer_id, t.recipient_id) AND {HIDDEN_LINE}
RETURNING 'trade' AS kind, t.id, ARRAY[t.proposer_id, t.recipient_id] AS user_ids,
          'hidden' AS reason, NULL::text AS title
"""


async def invalidate_hidden(conn: Connection, user_id: int) -> list[Invalidated]:
    """Every pending trade of `user_id`'s with an object one side may no longer see is void.
    Call it after `user_id`'s visibility changed, under hold_visibility's exclusive lock."""
    rows = await conn.fetch(INVALIDATE_HIDDEN, user_id, VOID_DETAIL["hidden"])
    return [Invalidated.model_validate(dict(r)) for r in rows]


# LOCK, and whether a line of trade `$2` is hidden from one of its parties, in one trip. The
# check reads the snapshot the statement began with, not what a lock wait let commit: whatever
# hides a line (a move, a rename, a deletion, a hidden object, a privacy change) voids the
# trade in its own transaction, and the accept's conditional update of the trade's row, run
# after this, waits for that commit and then finds the trade no longer pending.
LOCK_FOR_TRADE = f"""
SELECT id, owner_id, version, title, (SELECT {HIDDEN_LINE} FROM trades t WHERE t.id = $2) AS hidden
FROM art_objects WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE OF art_objects
"""


async def lock_for_trade(
    conn: Connection, object_ids: list[int], trade_id: int
) -> tuple[list[LockedObject], bool]:
    """The objects locked in id order, and whether a line of the trade is hidden now from one
    of its parties."""
    rows = await conn.fetch(LOCK_FOR_TRADE, sorted(set(object_ids)), trade_id)
    hidden = any(r["hidden"] for r in rows)
    return [LockedObject.model_validate(dict(r)) for r in rows], hidden


VOID_PARTY_TRADES = """
UPDATE trades t SET status = 'invalidated', status_reason = $2, decided_at = now(),
       version = t.version + 1
WHERE t.status = 'pending' AND $1 IN (t.proposer_id, t.recipient_id)
RETURNING 'trade' AS kind, t.id, ARRAY[t.proposer_id, t.recipient_id] AS user_ids,
          $3::text AS reason, NULL::text AS title
"""
VOID_PARTY_TRANSFERS = """
UPDATE transfers t SET status = 'invalidated', decided_at = now()
WHERE t.status = 'pending' AND $1 IN (t.from_user_id, t.to_user_id)
RETURNING 'transfer' AS kind, t.id,
          array_remove(ARRAY[t.from_user_id, t.to_user_id], NULL) AS user_ids,
          $2::text AS reason, t.title
"""


async def void_party(conn: Connection, user_id: int, why: VoidReason) -> list[Invalidated]:
    """Every pending trade and transfer `user_id` is a side of is void: they were banned
    ("hidden") or are deleting their account ("deleted"). A transfer is named by the title
    both people were shown in it."""
    trades = await conn.fetch(VOID_PARTY_TRADES, user_id, VOID_DETAIL[why], why)
    transfers = await conn.fetch(VOID_PARTY_TRANSFERS, user_id, why)
    return [Invalidated.model_validate(dict(r)) for r in [*trades, *transfers]]
