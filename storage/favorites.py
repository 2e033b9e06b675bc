"""SQL for favourites: idempotent add and remove, counts, a person's favourites page, and the
news of them that their objects' owners are told of at most once an hour per object."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg

from storage.db import Connection
from storage.errors import NotFound
from storage.models import Row
from storage.pages import ITEM_SELECT, Cursor, ItemStatement, Page, fetch_page


class FavoriteState(Row):
    favorited: bool
    favorite_count: int


# The favourite, and in the same trip the news of it for the owner: only for a new favourite,
# of someone else's object, whose owner wants such pushes ($3: whether they do without a row of
# settings). One row per person and object, so favouriting again adds nothing.
ADD_FAVORITE = """
WITH added AS (
    INSERT INTO favorites (user_id, object_id) VALUES ($1, $2) ON CONFLICT DO NOTHING
    RETURNING object_id
)
INSERT INTO favorite_news (object_id, user_id)
SELECT a.object_id, $1 FROM added a JOIN art_objects o ON o.id = a.object_id
WHERE o.owner_id <> $1 AND coalesce(
    (SELECT s.favorites FROM notification_settings s WHERE s.user_id = o.owner_id), $3)
ON CONFLICT DO NOTHING
"""


async def add_favorite(
    conn: Connection, user_id: int, object_id: int, *, news_by_default: bool = False
) -> None:
    try:
        await conn.execute(ADD_FAVORITE, user_id, object_id, news_by_default)
    except asyncpg.ForeignKeyViolationError:
        raise NotFound(f"art object {object_id} does not exist") from None


# a favourite taken back before the owner heard of it is no news
REMOVE_FAVORITE = """
WITH removed AS (DELETE FROM favorites WHERE user_id = $1 AND object_id = $2)
DELETE FROM favorite_news WHERE user_id = $1 AND object_id = $2
"""


async def remove_favorite(conn: Connection, user_id: int, object_id: int) -> None:
    await conn.execute(REMOVE_FAVORITE, user_id, object_id)


class FavoriteNews(Row):
    """What the owner of an object is told in one push: how many people favourited it since
    the last, and the latest one's name."""

    object_id: int
    title: str
    owner_id: int
    count: int
    latest_name: str
    next_at: datetime


# Objects with news whose owner may be told now: each claimed by moving its next allowed time
# an hour on (the WHERE of the upsert re-reads a row another claim just moved, so two claims at
# once take an object once) and its news taken. A favourite committed after this statement's
# snapshot stays for the next push.
CLAIM_NEWS = """
WITH due AS (
    SELECT DISTINCT n.object_id FROM favorite_news n
    WHERE NOT EXISTS (SELECT 1 FROM favorite_pushes p
                      WHERE p.object_id = n.object_id AND p.next_at > now())
    ORDER BY n.object_id LIMIT $2
),
claimed AS (
    INSERT INTO favorite_pushes AS p (object_id, next_at)
    SELECT object_id, now() + $1::interval FROM due
    ON CONFLICT (object_id) DO UPDATE SET next_at = EXCLUDED.next_at WHERE p.next_at <= now()
    RETURNING object_id, next_at
),
taken AS (
    DELETE FROM favorite_news n USING claimed c WHERE n.object_id = c.object_id
    RETURNING n.object_id, n.user_id, n.created_at
)
SELECT o.id AS object_id, o.title, o.owner_id, count(*) AS count, c.next_at,
       (array_agg(concat_ws(' ', nullif(u.first_name, ''), u.last_name)
                  ORDER BY t.created_at DESC, t.user_id DESC))[1] AS latest_name
FROM taken t
JOIN claimed c ON c.object_id = t.object_id
JOIN art_objects o ON o.id = t.object_id
JOIN users u ON u.id = t.user_id
WHERE t.user_id <> o.owner_id
GROUP BY o.id, o.title, o.owner_id, c.next_at
ORDER BY o.id
"""


async def claim_favorite_news(conn: Connection, every: timedelta, limit: int) -> list[FavoriteNews]:
    rows = await conn.fetch(CLAIM_NEWS, every, limit)
    return [FavoriteNews.model_validate({**dict(r), "latest_name": r["latest_name"] or "—"})
            for r in rows]  # fmt: skip


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
