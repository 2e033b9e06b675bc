"""SQL for a person's collection as the chat shows it: numbered pages of titles."""

from __future__ import annotations

from storage.db import Connection
from storage.models import Row


class OwnedTitle(Row):
    id: int
    title: str


async def count_owned(conn: Connection, user_id: int) -> int:
    count: int = await conn.fetchval(
        "SELECT count(*) FROM art_objects WHERE owner_id = $1", user_id
    )
    return count


async def owned_titles(conn: Connection, user_id: int, offset: int, limit: int) -> list[OwnedTitle]:
    rows = await conn.fetch(
        "SELECT id, title FROM art_objects WHERE owner_id = $1 "
        "ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT $3",
        user_id,
        offset,
        limit,
    )
    return [OwnedTitle.model_validate(dict(r)) for r in rows]
