"""SQL for favourites: idempotent add and remove, counts, a person's favourites page."""

from __future__ import annotations

import asyncpg

from storage.db import Connection
from storage.errors import NotFound
from storage.models import Row
from storage.pages import ITEM_SELECT, Cursor, ItemStatement, Page, fetch_page


class FavoriteState(Row):
    favorited: bool
    favorite_count: int


async def add_favorite(conn: Connection, user_id: int, object_id: int) -> None:
    try:
        await conn.execute(
            "INSERT INTO favorites (user_id, object_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            user_id,
            object_id,
        )
    except asyncpg.ForeignKeyViolationError:
        raise NotFound(f"art object {object_id} does not exist") from None


async def remove_favorite(conn: Connection, user_id: int, object_id: int) -> None:
    await conn.execute(
        "DELETE FROM favorites WHERE user_id = $1 AND object_id = $2", user_id, object_id
    )


async def favorite_state(conn: Connection, user_id: int, object_id: int) -> FavoriteState:
    row = await conn.fetchrow(
        """SELECT EXISTS (SELECT 1 FROM favorites WHERE object_id = $2 AND user_id = $1)
                      AS favorited,
                  (SELECT count(*) FROM favorites WHERE object_id = $2) AS favorite_count""",
        user_id,
        object_id,
    )
    assert row is not None
    return FavoriteState.model_validate(dict(row))


async def list_favorites(
    conn: Connection, user_id: int, limit: int, after: Cursor | None = None
) -> Page:
    """What `user_id` favourited, most recently favourited first."""
    statement = ItemStatement(user_id)
    statement.where.append("f.user_id = $1")
    statement.after("f.created_at", after)
    source = "favorites f JOIN art_objects o ON o.id = f.object_id"
    select = ITEM_SELECT.format(sort_at="f.created_at", source=source)
    sql = statement.sql(select, "f.created_at", limit)
    return await fetch_page(conn, sql, statement.params, limit)
