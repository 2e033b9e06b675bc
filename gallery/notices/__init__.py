"""Telling people what happened: typed notices queued in the caller's transaction.

`notify` writes a notice (gallery/notices/kinds.py) for one person to the outbox; the bot's
sender renders it in their language and sends it. Nothing is queued for a person who is
unknown or unreachable (they blocked the bot), who turned that kind of push off
(gallery/notices/settings.py), for a dedupe key queued before, or past the limits on what one
person may cause another to receive (gallery/notices/limits.py).
"""

from __future__ import annotations

from gallery.notices.kinds import Notice
from gallery.notices.limits import (
    HOUR,
    PUSHES_PER_SENDER_HOUR,
    Burst,
    log_capped,
    withdrawn_lately,
)

__all__ = ["Burst", "Notice", "notify"]
from gallery.notices.settings import category_of, is_on_by_default
from storage.db import Connection
from storage.outbox_queue import enqueue_notice

NOTICE_KEY = "notice"  # the outbox body holds {"notice": <Notice as JSON>}


async def notify(
    conn: Connection,
    to_user: int,
    notice: Notice,
    *,
    dedupe_key: str,
    sender: int | None = None,
    burst: Burst | None = None,
) -> int | None:
    """Queue `notice` for `to_user`; the outbox id, or None when nothing was queued. `sender`
    is the person whose action it announces (None for the system: an expiry). The reachable
    check, the person's switch, the hourly cap and the write are one statement: one round trip
    per push."""
    if await withdrawn_lately(conn, sender, to_user, burst):
        return None
    category = category_of(notice)
    queued = await enqueue_notice(
        conn,
        to_user,
        {NOTICE_KEY: notice.model_dump(mode="json")},
        dedupe_key=dedupe_key,
        actor_id=sender,
        cap=PUSHES_PER_SENDER_HOUR,
        window=HOUR,
        category=category,
        default_on=is_on_by_default(category),
    )
    if queued.id is None and queued.reachable and queued.wanted:
        log_capped(sender, to_user, queued.caused)
    return queued.id
