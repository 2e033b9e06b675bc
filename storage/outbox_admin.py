"""SQL for the operator's view of the outbox: its depth for /metrics, the pushes that failed
(dead letters) or wait too long, and putting them back in the queue."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Connection
from storage.models import Row


class OutboxStats(Row):
    pending: int
    oldest_pending_age_s: float
    dead: int


class StuckPush(Row):
    id: int
    user_id: int | None
    chat_id: int | None
    kind: str
    status: str
    attempts: int
    last_error: str | None
    age_s: float


# Each count reads a partial index (pending: outbox_due_idx; dead: outbox_dead_idx), never the
# sent rows, which the outbox keeps for good.
STATS = """
SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') AS pending,
       COALESCE((SELECT EXTRACT(EPOCH FROM now() - min(created_at))
                 FROM outbox WHERE status = 'pending'), 0)::float8 AS oldest_pending_age_s,
       (SELECT count(*) FROM outbox WHERE status = 'dead') AS dead
"""

# Dead letters, and pending pushes older than $1: waiting out a long backoff, or for a chat
# whose earlier push is itself stuck.
STUCK = """
SELECT id, user_id, chat_id, kind, status, attempts, last_error,
       EXTRACT(EPOCH FROM now() - created_at)::float8 AS age_s
FROM outbox
WHERE status = 'dead' OR (status = 'pending' AND created_at < now() - $1::interval)
ORDER BY id
LIMIT $2
"""

# Back in the queue, due now, with a fresh count of attempts; senders are woken on commit.
RETRY = """
WITH requeued AS (
    UPDATE outbox
    SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL,
        claimed_at = NULL, claimed_by = NULL
    WHERE (id = $1 AND status IN ('dead', 'pending')) OR ($1 IS NULL AND status = 'dead')
    RETURNING id
)
SELECT id, pg_notify('gallery_outbox', '') FROM requeued ORDER BY id
"""


async def outbox_stats(conn: Connection) -> OutboxStats:
    row = await conn.fetchrow(STATS)
    assert row is not None  # one row of three subqueries, always
    return OutboxStats.model_validate(dict(row))


async def stuck_pushes(conn: Connection, older_than: timedelta, limit: int) -> list[StuckPush]:
    rows = await conn.fetch(STUCK, older_than, limit)
    return [StuckPush.model_validate(dict(row)) for row in rows]


async def requeue(conn: Connection, outbox_id: int | None) -> list[int]:
    """Requeue push `outbox_id` (dead, or pending and stuck) or, with None, every dead push;
    the ids requeued."""
    return [row["id"] for row in await conn.fetch(RETRY, outbox_id)]
