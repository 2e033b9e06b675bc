"""SQL for art objects: the gallery pages, one object in full, edits and deletion."""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage.db import Connection
from storage.errors import DomainError, NotFound
from storage.models import Row

OBJECT_COLUMNS = """
    o.id, o.photo_id, o.title, o.description, o.creator_id, o.owner_id, o.version,
    o.created_at, o.updated_at
"""
OWNER_NAME = "COALESCE(NULLIF(concat_ws(' ', NULLIF(u.first_name, ''), u.last_name), ''), '—')"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = struct.Struct(">qq")


def visible_to(owner: str, viewer: str) -> str:
    """Whether `viewer` (a bigint parameter, NULL when signed out) may see objects of `owner`
    (a users alias): the one place that decides it, used by every listing and lookup.

    public: everyone; approved: the owner and people whose access request they approved;
    private: only the owner. Never NULL, so it can also be selected as a column.
    """
    return (
        f"COALESCE({owner}.privacy = 'public' OR {owner}.id = {viewer}::bigint"
        f" OR ({owner}.privacy = 'approved' AND EXISTS ("
        f"SELECT 1 FROM profile_requests pr WHERE pr.requester_id = {viewer}::bigint"
        f" AND pr.target_id = {owner}.id AND pr.status = 'approved')), FALSE)"
    )


# Whoever checks what one person may see of another's collection and writes something that
# depends on it (an offer) holds that collection's visibility lock shared until commit; whoever
# changes it (privacy, a revoked approval) holds it exclusive and then voids what it hid. So an
# offer checked under the old visibility is committed before the change looks for offers to void.
VISIBILITY_LOCK = "SELECT pg_advisory_xact_lock{mode}(hashtextextended('visibility:' || u, 0))"


async def hold_visibility(conn: Connection, owner_ids: list[int]) -> None:
    """Shared (shared locks never wait on each other, only on a change)."""
    await conn.execute(
        VISIBILITY_LOCK.format(mode="_shared") + " FROM unnest($1::bigint[]) AS u",
        sorted(set(owner_ids)),
    )


async def change_visibility(conn: Connection, owner_id: int) -> None:
    """Exclusive: no offer is being checked against `owner_id`'s collection until commit.
    Take it after any row lock on `owner_id`'s user row (an offer maker holds theirs first)."""
    await conn.execute(VISIBILITY_LOCK.format(mode="") + " FROM (SELECT $1::bigint AS u) x",
                       owner_id)  # fmt: skip


class ObjectRow(Row):
    id: int
    photo_id: int
    title: str
    description: str
    creator_id: int
    owner_id: int
    version: int
    created_at: datetime
    updated_at: datetime


class GalleryItem(Row):
    """One tile of a gallery page."""

    id: int
    title: str
    created_at: datetime
    sort_at: datetime
    owner_id: int
    owner_name: str
    owner_avatar: str | None
    photo_id: int
    width: int
    height: int
    placeholder: str
    thumb_key: str
    preview_key: str


class ObjectDetail(ObjectRow):
    owner_name: str
    owner_avatar: str | None
    width: int
    height: int
    format: str
    byte_size: int
    taken_at: datetime | None
    placeholder: str
    original_key: str
    preview_key: str
    thumb_key: str
    favorite_count: int
    favorited: bool


class HistoryEntry(Row):
    """One move. A person the viewer may not see (their collection is hidden from the viewer,
    they are not the creator, and the viewer was not the other side of that move) comes back
    with id and name None: the history must not list who owns what privately."""

    from_user_id: int | None  # None at creation, or when hidden
    from_name: str | None
    to_user_id: int | None
    to_name: str | None
    reason: str
    created_at: datetime

@dataclass(frozen=True)
class Cursor:
    """A keyset position: the page continues after (sort_at, id) in descending order."""

    sort_at: datetime
    id: int

    def encode(self) -> str:
        micros = (self.sort_at - _EPOCH) // timedelta(microseconds=1)
        return base64.urlsafe_b64encode(_CURSOR.pack(micros, self.id)).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            micros, object_id = _CURSOR.unpack(
                base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            )
            return cls(_EPOCH + timedelta(microseconds=micros), object_id)
        except (binascii.Error, struct.error, ValueError, OverflowError):
            raise DomainError(
                "the cursor is not one this server handed out", code="bad_cursor"
            ) from None


@dataclass(frozen=True)
class GalleryQuery:
    viewer: int | None
    limit: int
    after: Cursor | None = None
    owner: int | None = None
    text: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[GalleryItem]
    next_cursor: str | None


ITEM_SELECT = f"""
SELECT o.id, o.title, o.created_at, {{sort_at}} AS sort_at,
       o.owner_id, {OWNER_NAME} AS owner_name, u.avatar_url AS owner_avatar,
       p.id AS photo_id, p.width, p.height, p.placeholder, p.thumb_key, p.preview_key
FROM {{source}}
JOIN photos p ON p.id = o.photo_id
JOIN users u ON u.id = o.owner_id
"""


class ItemStatement:
    """A statement assembled from fixed fragments; only values travel as parameters."""

    def __init__(self, viewer: int | None) -> None:
        self.params: list[object] = [viewer]
        self.where = [visible_to("u", "$1")]

    def param(self, value: object) -> str:
        self.params.append(value)
        return f"${len(self.params)}"

    def after(self, sort_column: str, cursor: Cursor | None) -> None:
        if cursor is not None:
            position = (
                f"({self.param(cursor.sort_at)}::timestamptz, {self.param(cursor.id)}::bigint)"
            )
            self.where.append(f"({sort_column}, o.id) < {position}")

    def sql(self, select: str, sort_column: str, limit: int) -> str:
        return (
            f"{select} WHERE {' AND '.join(self.where)}"
            f" ORDER BY {sort_column} DESC, o.id DESC LIMIT {self.param(limit + 1)}"
        )


def _matches(text_param: str) -> str:
    # one query per configuration, OR-ed: stems of either language or the word as typed
    return (
        f"o.search @@ (websearch_to_tsquery('russian', {text_param})"
        f" || websearch_to_tsquery('english', {text_param})"
        f" || websearch_to_tsquery('simple', {text_param}))"
    )


async def fetch_page(conn: Connection, sql: str, params: list[object], limit: int) -> Page:
    rows = await conn.fetch(sql, *params)
    # trusted, typed rows: constructing skips validation, the largest cost of a gallery page
    items = [GalleryItem.model_construct(**row) for row in rows[:limit]]
    more = len(rows) > limit
    next_cursor = Cursor(items[-1].sort_at, items[-1].id).encode() if more else None
    return Page(items=items, next_cursor=next_cursor)


async def list_gallery(conn: Connection, query: GalleryQuery) -> Page:
    """Newest first, also when searching: a rank order would shift under edits and make the
    cursor carry a float; people browse a gallery by time and search narrows it."""
    statement = ItemStatement(query.viewer)
    statement.after("o.created_at", query.after)
    if query.owner is not None:
        statement.where.append(f"o.owner_id = {statement.param(query.owner)}")
    if query.text:
        statement.where.append(_matches(statement.param(query.text)))
    select = ITEM_SELECT.format(sort_at="o.created_at", source="art_objects o")
    sql = statement.sql(select, "o.created_at", query.limit)
    return await fetch_page(conn, sql, statement.params, query.limit)


DETAIL = f"""
SELECT {OBJECT_COLUMNS}, {OWNER_NAME} AS owner_name, u.avatar_url AS owner_avatar,
       p.width, p.height, p.format, p.byte_size, p.taken_at, p.placeholder,
       p.original_key, p.preview_key, p.thumb_key,
       (SELECT count(*) FROM favorites f WHERE f.object_id = o.id) AS favorite_count,
       EXISTS (SELECT 1 FROM favorites f WHERE f.object_id = o.id AND f.user_id = $2)
           AS favorited
FROM art_objects o
JOIN photos p ON p.id = o.photo_id
JOIN users u ON u.id = o.owner_id
WHERE o.id = $1 AND {visible_to("u", "$2")}
"""


CAN_SEE = f"""
SELECT {visible_to("u", "$2")} FROM art_objects o JOIN users u ON u.id = o.owner_id
WHERE o.id = $1
"""


async def can_see(conn: Connection, object_id: int, viewer: int | None) -> bool:
    return bool(await conn.fetchval(CAN_SEE, object_id, viewer))


async def get_object_detail(conn: Connection, object_id: int, viewer: int | None) -> ObjectDetail:
    row = await conn.fetchrow(DETAIL, object_id, viewer)
    if row is None:
        raise NotFound(f"art object {object_id} does not exist")
    return ObjectDetail.model_validate(dict(row))


def _named(alias: str) -> str:
    """Whether the viewer ($2) may be told who `alias` (a users alias in HISTORY) is."""
    return (
        f"({alias}.id = o.creator_id OR $2::bigint IN (h.from_user_id, h.to_user_id)"
        f" OR {visible_to(alias, '$2')})"
    )


HISTORY = f"""
SELECT CASE WHEN {_named("fu")} THEN h.from_user_id END AS from_user_id,
       CASE WHEN {_named("fu")} THEN {OWNER_NAME.replace("u.", "fu.")} END AS from_name,
       CASE WHEN {_named("u")} THEN h.to_user_id END AS to_user_id,
       CASE WHEN {_named("u")} THEN {OWNER_NAME} END AS to_name,
       h.reason, h.created_at
FROM ownership_history h
JOIN art_objects o ON o.id = h.object_id
LEFT JOIN users fu ON fu.id = h.from_user_id
JOIN users u ON u.id = h.to_user_id
WHERE h.object_id = $1
ORDER BY h.created_at, h.id
"""


async def get_history(
    conn: Connection, object_id: int, viewer: int | None
) -> list[HistoryEntry]:
    rows = await conn.fetch(HISTORY, object_id, viewer)
    return [HistoryEntry.model_validate(dict(row)) for row in rows]


INSERT = f"""
INSERT INTO art_objects AS o (photo_id, title, description, creator_id, owner_id)
VALUES ($1, $2, $3, $4, $4)
RETURNING {OBJECT_COLUMNS}
"""


async def insert_object(
    conn: Connection, *, photo_id: int, title: str, description: str, creator_id: int
) -> ObjectRow:
    row = await conn.fetchrow(INSERT, photo_id, title, description, creator_id)
    assert row is not None
    return ObjectRow.model_validate(dict(row))


async def record_creation(conn: Connection, object_id: int, owner_id: int) -> None:
    await conn.execute(
        """INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason)
           VALUES ($1, NULL, $2, 'created')""",
        object_id,
        owner_id,
    )


async def lock_object(conn: Connection, object_id: int) -> ObjectRow:
    """The object, locked until the caller's transaction ends."""
    row = await conn.fetchrow(
        f"SELECT {OBJECT_COLUMNS} FROM art_objects o WHERE o.id = $1 FOR UPDATE", object_id
    )
    if row is None:
        raise NotFound(f"art object {object_id} does not exist")
    return ObjectRow.model_validate(dict(row))


async def update_text(conn: Connection, object_id: int, title: str, description: str) -> ObjectRow:
    row = await conn.fetchrow(
        f"""UPDATE art_objects o SET title = $2, description = $3, updated_at = now()
            WHERE o.id = $1 RETURNING {OBJECT_COLUMNS}""",
        object_id,
        title,
        description,
    )
    if row is None:
        raise NotFound(f"art object {object_id} does not exist")
    return ObjectRow.model_validate(dict(row))


async def ever_moved(conn: Connection, object_id: int) -> bool:
    moved = await conn.fetchval(
        "SELECT EXISTS (SELECT 1 FROM ownership_history WHERE object_id = $1"
        " AND reason <> 'created')",
        object_id,
    )
    return bool(moved)


async def delete_object(conn: Connection, object_id: int) -> None:
    """History and favourites go with it (ON DELETE CASCADE); the lines of closed offers keep
    their title and lose the object (SET NULL). A pending offer or transfer naming it makes
    this fail (a trigger): void them first."""
    if await conn.fetchval("DELETE FROM art_objects WHERE id = $1 RETURNING id", object_id) is None:
        raise NotFound(f"art object {object_id} does not exist")
