"""SQL for moving objects between owners. Callers hold a transaction; see gallery/ownership.py."""

from __future__ import annotations

from storage.db import Connection
from storage.models import Row


class LockedObject(Row):
    id: int
    owner_id: int
    version: int
    title: str


class Invalidated(Row):
    kind: str  # "trade" or "transfer"
    id: int
    user_ids: list[int]


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
    SET owner_id = m.to_user, version = o.version + 1, updated_at = now()
    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(object_id, from_user, to_user)
    WHERE o.id = m.object_id AND o.owner_id = m.from_user
    RETURNING o.id, m.from_user, m.to_user
)
INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason, reference_id)
SELECT id, from_user, to_user, $4, $5 FROM moved
RETURNING object_id
"""


async def move(
    conn: Connection,
    moves: list[tuple[int, int, int]],
    reason: str,
    reference_id: int,
) -> int:
    """Move (object, from, to) triples whose owner is still `from`; the number moved."""
    rows = await conn.fetch(
        MOVE,
        [m[0] for m in moves],
        [m[1] for m in moves],
        [m[2] for m in moves],
        reason,
        reference_id,
    )
    return len(rows)


INVALIDATE_TRADES = """
UPDATE trades t SET status = 'invalidated', status_reason = $3, decided_at = now(),
       version = t.version + 1
WHERE t.status = 'pending' AND t.id <> $2
  AND EXISTS (SELECT 1 FROM trade_items i WHERE i.trade_id = t.id
              AND i.object_id = ANY($1::bigint[]))
RETURNING 'trade' AS kind, t.id, ARRAY[t.proposer_id, t.recipient_id] AS user_ids
"""

INVALIDATE_TRANSFERS = """
UPDATE transfers t SET status = 'invalidated', decided_at = now()
WHERE t.status = 'pending' AND t.id <> $2 AND t.object_id = ANY($1::bigint[])
RETURNING 'transfer' AS kind, t.id,
          array_remove(ARRAY[t.from_user_id, t.to_user_id], NULL) AS user_ids
"""


async def invalidate_naming(
    conn: Connection,
    object_ids: list[int],
    *,
    except_trade: int = 0,
    except_transfer: int = 0,
    reason: str = "an object in it changed hands",
) -> list[Invalidated]:
    """Every other pending offer and transfer that names one of `object_ids` is now void."""
    trades = await conn.fetch(INVALIDATE_TRADES, object_ids, except_trade, reason)
    transfers = await conn.fetch(INVALIDATE_TRANSFERS, object_ids, except_transfer)
    return [Invalidated.model_validate(dict(r)) for r in [*trades, *transfers]]
