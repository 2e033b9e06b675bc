"""SQL for pushes claimed by senders with SKIP LOCKED and what becomes of them; queueing them in
the caller's transaction is storage/outbox_queue.py."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from storage.db import Connection
from storage.models import Row
from storage.outbox_claims import LIVE_SENDERS

OutboxKind = Literal["send", "edit", "answer"]
NOTIFY_CHANNEL = "gallery_outbox"  # also spelled out in storage/outbox_admin.py


class OutboxRow(Row):
    id: int
    user_id: int | None
    chat_id: int | None
    kind: OutboxKind
    body: dict[str, Any]
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: str | None
    dedupe_key: str | None
    created_at: datetime
    # the start of an attempt whose outcome is unknown: the message may be in the chat already
    unanswered_since: datetime | None = None


# A claim names its sender (`$5`, see storage/outbox_claims.py). A row is due when its time
# has come, or at once when it is claimed by a sender whose lock is gone (the process died or
# lost its database session) and was claimed over a second ago (what the dead sender had in
# flight counts against MAX's pace for that second). The lease stays as the fallback, for rows
# of a sender whose lock cannot be seen (claimed before claims were named).
# Claims are serialised (one advisory lock, held for the claim's own short transaction) so that
# the budget each claimer sees is the truth:
# - MAX's per-bot pace: at most `$4` attempts answered in the last second or still in flight
#   at a live sender, counted over every replica (an attempt is stamped when answered, so one
#   delayed on its way cannot make MAX see more than allowed);
# - a chat's order: a row waits while an earlier row for its chat is pending (being sent or
#   backing off), so messages keep their order through retries, crashes and across replicas;
# - a chat's pace: a row waits while its chat's last attempt was answered less than `$3` ago.
#
# What a claim reads follows what it takes, not the backlog or the history (docs/architecture.md,
# "What a claim reads"). Every time bound on clock_timestamp() has a twin on now(), which the
# claim's transaction began at (so the twin admits a little more and the clock decides): only
# a stable bound reads an index range, and sent rows stay in the outbox for good. The lock
# statement also bars the plans that read every due row (a sort over the backlog, a scan of
# the table): a backlog builds faster than statistics follow it, and with them stale PostgreSQL
# chose those plans under bench/webhook.py (99 ms a claim at 32,000 pending).
CLAIM_LOCK = (
    "SELECT pg_advisory_xact_lock(3, 1), set_config('enable_sort', 'off', true), "
    "set_config('enable_seqscan', 'off', true)"
)
CLAIM = f"""
WITH live AS MATERIALIZED ({LIVE_SENDERS}),
busy AS (
    SELECT count(*) AS n FROM (
        SELECT id FROM outbox
        WHERE attempted_at > now() - interval '1010 milliseconds'
          AND attempted_at > clock_timestamp() - interval '1010 milliseconds'
        UNION
        SELECT id FROM outbox
        WHERE claimed_at > now() - $2::interval
          AND claimed_at > clock_timestamp() - $2::interval
          AND (claimed_by IS NULL OR claimed_by IN (SELECT sender FROM live)
               OR claimed_at > clock_timestamp() - interval '1010 milliseconds')
    ) recent
)
UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + $2::interval,
                  claimed_at = clock_timestamp(), claimed_by = $5,
                  -- still claimed: the last attempt never concluded (its sender died)
                  unanswered_since = CASE WHEN claimed_at IS NULL THEN unanswered_since
                                          ELSE COALESCE(unanswered_since, claimed_at) END
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.status = 'pending'
      AND LEAST(o.next_attempt_at, o.claimed_at) <= now()
      AND (o.next_attempt_at <= now()
           OR (o.claimed_by IS NOT NULL
               AND o.claimed_at < clock_timestamp() - interval '1010 milliseconds'
               AND o.claimed_by NOT IN (SELECT sender FROM live)))
      -- the head of its chat: a subquery per row read, not an anti-join over the backlog
      AND o.id = (
          SELECT min(e.id) FROM outbox e
          WHERE e.status = 'pending'
            AND COALESCE(e.chat_id, e.user_id) = COALESCE(o.chat_id, o.user_id)
      )
      AND NOT EXISTS (
          SELECT 1 FROM outbox s
          WHERE s.attempted_at > now() - $3::interval
            AND s.attempted_at > clock_timestamp() - $3::interval
            AND COALESCE(s.chat_id, s.user_id) = COALESCE(o.chat_id, o.user_id)
      )
    ORDER BY LEAST(o.next_attempt_at, o.claimed_at), o.id
    LIMIT LEAST($1, GREATEST(0, $4 - (SELECT n FROM busy)))
    FOR UPDATE SKIP LOCKED
)
RETURNING *
"""


async def claim_due(
    conn: Connection,
    sender_id: int,
    limit: int,
    lease_s: float,
    spacing_s: float,
    per_second: int,
) -> list[OutboxRow]:
    """Claim the due rows for `sender_id`, whose lock (storage/outbox_claims.py) the caller's
    listener session holds."""
    async with conn.transaction():
        await conn.execute(CLAIM_LOCK)
        rows = await conn.fetch(
            CLAIM,
            limit,
            timedelta(seconds=lease_s),
            timedelta(seconds=spacing_s),
            per_second,
            sender_id,
        )
    return sorted((OutboxRow.model_validate(dict(r)) for r in rows), key=lambda r: r.id)


async def mark_sent(conn: Connection, outbox_id: int, message_id: str | None) -> None:
    await conn.execute(
        "UPDATE outbox SET status = 'sent', sent_at = clock_timestamp(), message_id = $2, "
        "last_error = NULL, attempted_at = clock_timestamp(), claimed_at = NULL, "
        "claimed_by = NULL, unanswered_since = NULL WHERE id = $1",
        outbox_id,
        message_id,
    )


# A row tried again later holds its chat's later rows back until then (a chat's order), so they
# are due no sooner: the claim reads due rows in order and would otherwise read, at every claim,
# each of them behind a head that is backing off (a backlog through an outage of MAX).
RETRY = """
WITH head AS (
    UPDATE outbox SET next_attempt_at = now() + $2::interval, last_error = $3,
                      attempted_at = clock_timestamp(), claimed_at = NULL, claimed_by = NULL,
                      unanswered_since = CASE WHEN $4 THEN COALESCE(unanswered_since, claimed_at)
                                              ELSE unanswered_since END
    WHERE id = $1
    RETURNING id, COALESCE(chat_id, user_id) AS chat, next_attempt_at
)
UPDATE outbox f SET next_attempt_at = head.next_attempt_at FROM head
WHERE f.status = 'pending' AND COALESCE(f.chat_id, f.user_id) = head.chat AND f.id > head.id
  AND f.next_attempt_at < head.next_attempt_at AND f.claimed_at IS NULL
"""


async def retry_later(
    conn: Connection, outbox_id: int, delay_s: float, error: str, *, unanswered: bool = False
) -> None:
    """Again after `delay_s`; `unanswered`: this attempt may have reached MAX (no answer came).
    The chat's later rows wait at least as long (see RETRY)."""
    await conn.execute(
        RETRY,
        outbox_id,
        timedelta(seconds=delay_s),
        error,
        unanswered,
    )


async def give_up(
    conn: Connection, outbox_id: int, error: str, status: Literal["dead", "skipped"] = "dead"
) -> None:
    await conn.execute(
        "UPDATE outbox SET status = $3, last_error = $2, attempted_at = clock_timestamp(), "
        "claimed_at = NULL, claimed_by = NULL WHERE id = $1",
        outbox_id,
        error,
        status,
    )


async def skip_pending_for_user(conn: Connection, user_id: int, reason: str) -> int:
    result = await conn.execute(
        "UPDATE outbox SET status = 'skipped', last_error = $2 "
        "WHERE user_id = $1 AND status = 'pending' AND kind = 'send'",
        user_id,
        reason,
    )
    return int(result.split()[-1])


async def next_due_in(conn: Connection) -> float | None:
    """Seconds until the next pending row is due (0 if one is due now), None if none pend.
    Clamped here, not with GREATEST in SQL: GREATEST skips a NULL, so an empty outbox read as
    "due now" and an idle sender looked again every 0.1 s, ten claims a second for ever."""
    value = await conn.fetchval(
        "SELECT EXTRACT(EPOCH FROM min(next_attempt_at) - now()) "
        "FROM outbox WHERE status = 'pending'"
    )
    return None if value is None else max(0.0, float(value))
