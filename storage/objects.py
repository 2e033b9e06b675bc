"""SQL for art objects: who may see them, one object in full, creation, edits and deletion.

Gallery pages are in storage/pages.py, ownership histories in storage/history.py."""

from __future__ import annotations

from datetime import datetime

from storage.db import Connection
from storage.errors import NotFound
from storage.models import Row

OBJECT_COLUMNS = """
    o.id, o.photo_id, o.title, o.description, o.creator_id, o.owner_id, o.version,
    o.created_at, o.updated_at, o.hidden_at, o.received_at
"""
OWNER_NAME = "COALESCE(NULLIF(concat_ws(' ', NULLIF(u.first_name, ''), u.last_name), ''), '—')"


def visible_to(owner: str, viewer: str) -> str:
    """Whether `viewer` (a bigint parameter, NULL when signed out) may see objects of `owner`
    (a users alias): the one place that decides it, used by every listing and lookup.

    public: everyone; approved: the owner and people whose access request they approved;
    private: only the owner. A banned person's collection is seen by nobody else. Never NULL,
    so it can also be selected as a column.
    """
    return (
        f"COALESCE({owner}.id = {viewer}::bigint OR {owner}.banned_at IS NULL AND ("
        f"{owner}.privacy = 'public'"
        f" OR ({owner}.privacy = 'approved' AND EXISTS ("
        f"SELECT 1 FROM profile_requests pr WHERE pr.requester_id = {viewer}::bigint"
        f" AND pr.target_id = {owner}.id AND pr.status = 'approved'))), FALSE)"
    )


def object_visible_to(obj: str, owner: str, viewer: str) -> str:
    """Whether `viewer` may see the object `obj` (an art_objects alias) of `owner` (its users
    alias): its owner's collection is open to them (visible_to) and no operator hid it. A
    hidden object is still seen by its owner. Every read of objects uses this."""
    return (
        f"(COALESCE({obj}.hidden_at IS NULL OR {obj}.owner_id = {viewer}::bigint, FALSE)"
        f" AND {visible_to(owner, viewer)})"
    )


# Whoever checks what one person may see of another's collection and writes something that
# depends on it (a trade) holds that collection's visibility lock shared until commit; whoever
# changes it (privacy, a revoked approval) holds it exclusive and then voids what it hid. So an
# trade checked under the old visibility is committed before the change looks for trades to void.
VISIBILITY_LOCK = "SELECT pg_advisory_xact_lock{mode}(hashtextextended('visibility:' || u, 0))"


async def hold_visibility(conn: Connection, owner_ids: list[int]) -> None:
    """Shared (shared locks never wait on each other, only on a change)."""
    await conn.execute(
        VISIBILITY_LOCK.format(mode="_shared") + " FROM unnest($1::bigint[]) AS u",
        sorted(set(owner_ids)),
    )


async def change_visibility(conn: Connection, owner_id: int) -> None:
    """Exclusive: no trade is being checked against `owner_id`'s collection until commit.
    Take it after any row lock on `owner_id`'s user row (a trade's proposer holds theirs first)."""
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
    hidden_at: datetime | None = None  # by an operator: seen only by its owner
    received_at: datetime | None = None  # by a trade or transfer (gallery/ownership/holds.py)


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
    hidden_reason: str | None = None  # an operator's, seen by the owner only (who alone sees it)


DETAIL = f"""
SELECT {OBJECT_COLUMNS}, {OWNER_NAME} AS owner_name, u.avatar_url AS owner_avatar,
       p.width, p.height, p.format, p.byte_size, p.taken_at, p.placeholder,
       p.original_key, p.preview_key, p.thumb_key, o.hidden_reason,
       (SELECT count(*) FROM favorites f WHERE f.object_id = o.id) AS favorite_count,
       EXISTS (SELECT 1 FROM favorites f WHERE f.object_id = o.id AND f.user_id = $2)
           AS favorited
FROM art_objects o
JOIN photos p ON p.id = o.photo_id
JOIN users u ON u.id = o.owner_id
WHERE o.id = $1 AND {object_visible_to("o", "u", "$2")}
"""


CAN_SEE = f"""
SELECT {object_visible_to("o", "u", "$2")} FROM art_objects o JOIN users u ON u.id = o.owner_id
WHERE o.id = $1
"""


async def can_see(conn: Connection, object_id: int, viewer: int | None) -> bool:
    return bool(await conn.fetchval(CAN_SEE, object_id, viewer))


async def get_object_detail(conn: Connection, object_id: int, viewer: int | None) -> ObjectDetail:
    row = await conn.fetchrow(DETAIL, object_id, viewer)
    if row is None:
        raise NotFound(f"art object {object_id} does not exist")
    return ObjectDetail.model_validate(dict(row))


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


async def get_object(conn: Connection, object_id: int) -> ObjectRow:
    row = await conn.fetchrow(
        f"SELECT {OBJECT_COLUMNS} FROM art_objects o WHERE o.id = $1", object_id
    )
    if row is None:
        raise NotFound(f"art object {object_id} does not exist")
    return ObjectRow.model_validate(dict(row))


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
    """History and favourites go with it (ON DELETE CASCADE); the lines of closed trades keep
    their title and lose the object (SET NULL). A pending trade or transfer naming it makes
    this fail (a trigger): void them first."""
    if await conn.fetchval("DELETE FROM art_objects WHERE id = $1 RETURNING id", object_id) is None:
        raise NotFound(f"art object {object_id} does not exist")
