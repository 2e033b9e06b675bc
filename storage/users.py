"""SQL for people: upsert from MAX, look up, reachability."""

from __future__ import annotations

from typing import NamedTuple

from storage.db import Connection
from storage.models import Language, UserRow

UPSERT = """
INSERT INTO users AS u (id, first_name, last_name, username, language, avatar_url, dialog_chat_id)
VALUES ($1, $2, $3, $4, COALESCE($5, 'ru'), $6, $7)
ON CONFLICT (id) DO UPDATE SET
    first_name = EXCLUDED.first_name,
    last_name = EXCLUDED.last_name,
    username = EXCLUDED.username,
    language = COALESCE($5, u.language),
    avatar_url = COALESCE(EXCLUDED.avatar_url, u.avatar_url),
    dialog_chat_id = COALESCE(EXCLUDED.dialog_chat_id, u.dialog_chat_id),
    -- a person who writes to the bot again can be reached again
    reachable = u.reachable OR EXCLUDED.dialog_chat_id IS NOT NULL,
    last_seen_at = now()
RETURNING *
"""


class Profile(NamedTuple):
    """What MAX tells about a person, as upsert_user stores it (storage/updates.py INGEST too)."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language: Language | None = None
    avatar_url: str | None = None
    dialog_chat_id: int | None = None


def language_from_locale(locale: str | None) -> Language | None:
    if not locale:
        return None
    return "ru" if locale.lower().startswith(("ru", "be", "uk", "kk")) else "en"


async def upsert_user(
    conn: Connection,
    *,
    user_id: int,
    first_name: str,
    last_name: str | None = None,
    username: str | None = None,
    locale: str | None = None,
    avatar_url: str | None = None,
    dialog_chat_id: int | None = None,
) -> UserRow:
    row = await conn.fetchrow(
        UPSERT,
        user_id,
        first_name,
        last_name,
        username,
        language_from_locale(locale),
        avatar_url,
        dialog_chat_id,
    )
    assert row is not None
    return UserRow.model_validate(dict(row))


async def get_user(conn: Connection, user_id: int) -> UserRow | None:
    row = await conn.fetchrow("SELECT * FROM users WHERE id = $1", user_id)
    return None if row is None else UserRow.model_validate(dict(row))


async def mark_unreachable(conn: Connection, user_id: int) -> None:
    await conn.execute("UPDATE users SET reachable = FALSE WHERE id = $1", user_id)
