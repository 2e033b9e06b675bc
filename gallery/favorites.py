"""Favourites: a person's marks on objects they may see, and the list of them."""

from __future__ import annotations

from gallery.objects.browse import page_size, parse_cursor
from storage import favorites, objects
from storage.db import Connection
from storage.favorites import FavoriteState
from storage.pages import Page


async def my_favorites(
    conn: Connection, user_id: int, *, limit: int | None = None, cursor: str | None = None
) -> Page:
    return await favorites.list_favorites(conn, user_id, page_size(limit), parse_cursor(cursor))


async def set_favorite(
    conn: Connection, user_id: int, object_id: int, favorited: bool
) -> FavoriteState:
    """Idempotent both ways; only for objects the person may see."""
    await objects.get_object_detail(conn, object_id, user_id)
    if favorited:
        await favorites.add_favorite(conn, user_id, object_id)
    else:
        await favorites.remove_favorite(conn, user_id, object_id)
    return await favorites.favorite_state(conn, user_id, object_id)
