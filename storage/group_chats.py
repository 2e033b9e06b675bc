"""SQL for group chats the bot is in, and the photos posted there that became objects."""

from __future__ import annotations

from datetime import datetime

from storage.db import Connection
from storage.models import Row


class GroupChat(Row):
    chat_id: int
    title: str | None
    added_by: int | None
    removed_at: datetime | None


async def join_group(conn: Connection, chat_id: int, added_by: int | None) -> None:
    """The bot was added (again): the chat is live, whatever it was before."""
    await conn.execute(
        "INSERT INTO group_chats (chat_id, added_by) VALUES ($1, $2) "
        "ON CONFLICT (chat_id) DO UPDATE SET added_by = EXCLUDED.added_by, "
        "added_at = now(), removed_at = NULL",
        chat_id,
        added_by,
    )


async def get_group(conn: Connection, chat_id: int) -> GroupChat | None:
    row = await conn.fetchrow(
        "SELECT chat_id, title, added_by, removed_at FROM group_chats WHERE chat_id = $1", chat_id
    )
    return None if row is None else GroupChat.model_validate(dict(row))


async def ensure_group(conn: Connection, chat_id: int) -> GroupChat:
    """The chat's row; a chat first heard of by a message (the bot was added before this
    release, or bot_added was lost) is taken as live."""
    row = await conn.fetchrow(
        "WITH added AS (INSERT INTO group_chats (chat_id) VALUES ($1) "
        "ON CONFLICT (chat_id) DO NOTHING RETURNING chat_id, title, added_by, removed_at) "
        "SELECT * FROM added UNION ALL "
        "SELECT chat_id, title, added_by, removed_at FROM group_chats WHERE chat_id = $1",
        chat_id,
    )
    assert row is not None
    return GroupChat.model_validate(dict(row))


async def leave_group(conn: Connection, chat_id: int, reason: str) -> int:
    """Forget the chat (its photo claims too) but remember it was left, and drop what was still
    to be sent there; the number of outbox rows dropped."""
    await conn.execute(
        "INSERT INTO group_chats (chat_id, removed_at) VALUES ($1, now()) "
        "ON CONFLICT (chat_id) DO UPDATE SET removed_at = now(), title = NULL, added_by = NULL",
        chat_id,
    )
    await conn.execute("DELETE FROM group_photo_claims WHERE chat_id = $1", chat_id)
    result = await conn.execute(
        "UPDATE outbox SET status = 'skipped', last_error = $2 "
        "WHERE COALESCE(chat_id, user_id) = $1 AND chat_id = $1 AND status = 'pending'",
        chat_id,
        reason,
    )
    return int(result.split()[-1])


async def claim_group_photo(conn: Connection, chat_id: int, message_id: str, user_id: int) -> bool:
    """Take the photo message for `user_id`; False if it was taken already. A concurrent claim
    waits on the first one's row and, once that commits, finds it taken."""
    taken = await conn.fetchval(
        "INSERT INTO group_photo_claims (chat_id, message_id, user_id) VALUES ($1, $2, $3) "
        "ON CONFLICT (chat_id, message_id) DO NOTHING RETURNING TRUE",
        chat_id,
        message_id,
        user_id,
    )
    return bool(taken)


async def record_group_object(
    conn: Connection, chat_id: int, message_id: str, object_id: int
) -> None:
    await conn.execute(
        "UPDATE group_photo_claims SET object_id = $3 WHERE chat_id = $1 AND message_id = $2",
        chat_id,
        message_id,
        object_id,
    )
