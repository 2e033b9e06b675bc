"""What the outbox knows was delivered to a chat: the boundary for looking a push up there."""

from __future__ import annotations

from storage.db import Connection

# The chat's newest message before this row that MAX confirmed (a send marked with its mid).
LAST_DELIVERED = """
SELECT message_id FROM outbox
WHERE COALESCE(chat_id, user_id) = COALESCE($2::bigint, $3::bigint)
  AND id < $1 AND kind = 'send' AND status = 'sent' AND message_id IS NOT NULL
ORDER BY id DESC LIMIT 1
"""


async def last_delivered_before(
    conn: Connection, outbox_id: int, chat_id: int | None, user_id: int | None
) -> str | None:
    """The mid of the last message the bot is known to have put in this row's chat before it."""
    mid: str | None = await conn.fetchval(LAST_DELIVERED, outbox_id, chat_id, user_id)
    return mid
