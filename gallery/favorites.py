"""Favourites: a person's marks on objects they may see, the list of them, and the owner's
pushes about them.

An owner who turned these pushes on (gallery/notices/settings.py: off by default) hears of the
favourites of each object at most once an hour: the favourite leaves a row of news, and a
periodic job (announce_favorites, server/jobs.py) sums up each object's news in one push and
bars the next for an hour. Favouriting one's own object is no news; favouriting again is the
same news; a favourite taken back before the push is none.
"""

from __future__ import annotations

from datetime import timedelta

from gallery.notices import notify
from gallery.notices.kinds import ObjectFavorited
from gallery.notices.settings import DEFAULTS
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
        await favorites.add_favorite(conn, user_id, object_id, news_by_default=DEFAULTS.favorites)
    else:
        await favorites.remove_favorite(conn, user_id, object_id)
    return await favorites.favorite_state(conn, user_id, object_id)


FAVORITES_PUSH_EVERY = timedelta(hours=1)
OBJECTS_PER_ROUND = 500


async def announce_favorites(conn: Connection) -> int:
    """One push per object whose owner may be told of its new favourites (a periodic job); the
    number of pushes queued."""
    queued = 0
    async with conn.transaction():
        for news in await favorites.claim_favorite_news(
            conn, FAVORITES_PUSH_EVERY, OBJECTS_PER_ROUND
        ):
            notice = ObjectFavorited(object_id=news.object_id, title=news.title,
                                     count=news.count, name=news.latest_name)  # fmt: skip
            key = f"favorites:{news.object_id}:{news.next_at.timestamp()}"
            if await notify(conn, news.owner_id, notice, dedupe_key=key) is not None:
                queued += 1
    return queued
