"""Telling people what happened: typed notices queued in the caller's transaction.

`notify` writes a notice (gallery/notices/kinds.py) for one person to the outbox; the bot's
sender renders it in their language and sends it. Nothing is queued for a person who is
unknown or unreachable (they blocked the bot), for a dedupe key queued before, or past the
limits on what one person may cause another to receive (gallery/notices/limits.py).
"""

from __future__ import annotations

from gallery.notices.kinds import Notice
from gallery.notices.limits import Burst, may_push

__all__ = ["Burst", "Notice", "notify"]
from storage.db import Connection
from storage.outbox import enqueue
from storage.users import get_user

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
    is the person whose action it announces (None for the system: an expiry)."""
    user = await get_user(conn, to_user)
    if user is None or not user.reachable:
        return None
    if sender is not None and not await may_push(conn, sender, to_user, burst):
        return None
    return await enqueue(
        conn,
        kind="send",
        body={NOTICE_KEY: notice.model_dump(mode="json")},
        user_id=to_user,
        chat_id=user.dialog_chat_id,
        dedupe_key=dedupe_key,
        actor_id=sender,
    )
