"""Queueing pushes: outbox rows written in the caller's transaction, and this process's
senders told of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from storage.db import Connection
from storage.models import Row
from storage.notification_settings import SWITCH_FOR_CATEGORY
from storage.outbox import OutboxKind

# Senders in this process, told when a push is queued here (bot/sender.py). Not NOTIFY: every
# notifying transaction takes PostgreSQL's one notify lock at commit, so they commit one at a
# time (measured under bench/webhook.py: commits queued on it more than on the disk). The row is
# the sender's own replica's to send at once; other replicas' senders, and anything queued by
# a process with no sender, are found by polling (storage/outbox_admin.py's requeue notifies).
_local_senders: list[Callable[[], None]] = []


def on_enqueue(wake: Callable[[], None]) -> Callable[[], None]:
    """Call `wake` (before the caller commits) whenever this process queues a push; returns the
    function that stops it."""
    _local_senders.append(wake)
    return lambda: _local_senders.remove(wake)


def _queued() -> None:
    for wake in tuple(_local_senders):
        wake()


# A push behind a row of its chat that is backing off is due no sooner than that row (see
# storage/outbox.py RETRY): the chat's first pending row carries the chat's wait (the rows
# behind it wait as long), read with one index probe; a row in flight (claimed) passes its
# wait on only if it fails.
_CHAT_WAIT = """(
    SELECT CASE WHEN w.claimed_at IS NULL THEN w.next_attempt_at END FROM outbox w
    WHERE w.status = 'pending' AND COALESCE(w.chat_id, w.user_id) = COALESCE({chat}, {user})
    ORDER BY COALESCE(w.chat_id, w.user_id), w.id LIMIT 1
)"""


def _chat_wait(chat: str, user: str) -> str:
    return _CHAT_WAIT.format(chat=chat, user=user)


ENQUEUE = f"""
WITH queued AS (
    INSERT INTO outbox (user_id, chat_id, kind, body, dedupe_key, actor_id, next_attempt_at)
    SELECT $1, $2, $3, $4, $5, $6, GREATEST(now(), {_chat_wait('$2::bigint', '$1::bigint')})
    WHERE $1::bigint IS NULL OR $3 <> 'send' OR EXISTS (
        SELECT 1 FROM users WHERE id = $1 AND reachable
    )
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id
)
SELECT id FROM queued
"""


async def enqueue(
    conn: Connection,
    *,
    kind: OutboxKind,
    body: dict[str, Any],
    user_id: int | None = None,
    chat_id: int | None = None,
    dedupe_key: str | None = None,
    actor_id: int | None = None,
) -> int | None:
    """Queue a push in the caller's transaction; None when the person is unreachable or it was
    already queued under `dedupe_key`. `actor_id` is whose action caused it, if a person's.
    This process's senders are told at once (they look again until the caller commits)."""
    outbox_id: int | None = await conn.fetchval(
        ENQUEUE, user_id, chat_id, kind, body, dedupe_key, actor_id
    )
    if outbox_id is not None:
        _queued()
    return outbox_id


class Queued(Row):
    """What enqueue_notice did: the outbox id, or None when nothing was queued."""

    id: int | None
    reachable: bool  # the person is known and has not blocked the bot
    caused: int  # pushes the actor's actions queued to them within the window, before this one
    wanted: bool  # the person's switch for this kind of push is on (or it has none)


# A notice for a person, in one trip: only if they are known and reachable (to their dialog
# chat), only if their switch for its category ($7; NULL: a notice no switch silences) is on (no
# row of settings: $8, the category's default), only while the actor ($4, NULL for the system)
# has caused them fewer than $6 pushes within $5 (their own actions are not counted against
# them), and once per dedupe key.
ENQUEUE_NOTICE = f"""
WITH target AS (SELECT id, dialog_chat_id FROM users WHERE id = $1 AND reachable),
wanted AS (SELECT $7::text IS NULL OR coalesce({SWITCH_FOR_CATEGORY}, $8) AS yes),
caused AS (
    SELECT count(*) AS n FROM outbox
    WHERE $4::bigint IS NOT NULL AND $4 <> $1
      AND actor_id = $4 AND user_id = $1 AND created_at > now() - $5::interval
),
queued AS (
    INSERT INTO outbox (user_id, chat_id, kind, body, dedupe_key, actor_id, next_attempt_at)
    SELECT id, dialog_chat_id, 'send', $2, $3, $4,
           GREATEST(
               now(), {_chat_wait('target.dialog_chat_id', 'target.id')}
    ) FROM target
    WHERE (SELECT yes FROM wanted) AND (SELECT n FROM caused) < $6
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id
)
SELECT (SELECT id FROM queued) AS id, EXISTS (SELECT 1 FROM target) AS reachable,
       (SELECT n FROM caused) AS caused, (SELECT yes FROM wanted) AS wanted
"""


async def enqueue_notice(
    conn: Connection,
    user_id: int,
    body: dict[str, Any],
    *,
    dedupe_key: str,
    actor_id: int | None,
    cap: int,
    window: timedelta,
    category: str | None = None,
    default_on: bool = True,
) -> Queued:
    """Queue a push to `user_id` in the caller's transaction, within `actor_id`'s cap of `cap`
    pushes to them per `window`, unless they turned `category`'s pushes off (`default_on`:
    whether they are on for a person who never chose). This process's senders are told at
    once, as by enqueue."""
    row = await conn.fetchrow(
        ENQUEUE_NOTICE, user_id, body, dedupe_key, actor_id, window, cap, category, default_on
    )
    if row is None:
        raise RuntimeError("ENQUEUE_NOTICE returned no row")
    queued = Queued.model_validate(dict(row))
    if queued.id is not None:
        _queued()
    return queued
