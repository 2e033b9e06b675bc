"""SQL for stored images: reserve an id, insert, find duplicates, forget."""

from __future__ import annotations

from datetime import datetime

from storage.db import Connection
from storage.errors import NotFound
from storage.models import Row
from storage.objects import object_visible_to

PHOTO_COLUMNS = """
    id, sha256, dhash, width, height, format, byte_size, original_key, preview_key, thumb_key,
    placeholder, uploaded_by, taken_at, created_at
"""


class PhotoRow(Row):
    id: int
    sha256: str
    dhash: int
    width: int
    height: int
    format: str
    byte_size: int
    original_key: str
    preview_key: str
    thumb_key: str
    placeholder: str
    uploaded_by: int
    taken_at: datetime | None
    created_at: datetime


class NewPhoto(Row):
    """A photo about to be stored; its keys are computed from the id reserved for it."""

    id: int
    sha256: str
    dhash: int
    width: int
    height: int
    format: str
    byte_size: int
    original_key: str
    preview_key: str
    thumb_key: str
    placeholder: str
    uploaded_by: int
    taken_at: datetime | None


class SimilarObject(Row):
    """The art object showing a photo equal or close to an upload, and whether the uploader
    may see it (a refusal names only what they may see)."""

    object_id: int
    title: str
    distance: int
    visible: bool


# pg_advisory_xact_lock key of photo intake ("photos" in ASCII)
INTAKE_LOCK = 0x70686F746F73


async def lock_photo_intake(conn: Connection) -> None:
    """Until the transaction ends, no other intake checks for duplicates or stores a photo."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", INTAKE_LOCK)


async def reserve_photo_id(conn: Connection) -> int:
    """An id no other photo will get, so storage keys are known before the row is inserted."""
    photo_id = await conn.fetchval("SELECT nextval(pg_get_serial_sequence('photos', 'id'))")
    assert isinstance(photo_id, int)
    return photo_id


INSERT = f"""
INSERT INTO photos (id, sha256, dhash, width, height, format, byte_size, original_key,
                    preview_key, thumb_key, placeholder, uploaded_by, taken_at)
OVERRIDING SYSTEM VALUE
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING {PHOTO_COLUMNS}
"""


async def insert_photo(conn: Connection, photo: NewPhoto) -> PhotoRow:
    """Raises asyncpg.UniqueViolationError when the same bytes are already stored."""
    # NewPhoto declares its fields in INSERT's column order
    row = await conn.fetchrow(INSERT, *photo.model_dump().values())
    assert row is not None
    return PhotoRow.model_validate(dict(row))


EXACT_DUPLICATE = f"""
SELECT o.id AS object_id, o.title, 0 AS distance,
       {object_visible_to("o", "u", "$2")} AS visible
FROM photos p JOIN art_objects o ON o.photo_id = p.id JOIN users u ON u.id = o.owner_id
WHERE p.sha256 = $1
"""


async def find_exact_duplicate(
    conn: Connection, sha256: str, viewer: int
) -> SimilarObject | None:
    row = await conn.fetchrow(EXACT_DUPLICATE, sha256, viewer)
    return None if row is None else SimilarObject.model_validate(dict(row))


# bit_count(bit) is PostgreSQL 14+ (checked on 15 and 18). The inner scan reads only the narrow
# dhash column and keeps only the closest: about 2 ms per 10,000 photos. A Hamming radius cannot
# use a btree; past a few hundred thousand photos this wants multi-index hashing (expression
# indexes on 16-bit slices: within distance 3 one slice matches exactly), which needs a migration.
NEAR_DUPLICATE = f"""
SELECT o.id AS object_id, o.title, near.distance,
       {object_visible_to("o", "u", "$3")} AS visible
FROM (
    SELECT id, bit_count((dhash # $1::bigint)::bit(64)) AS distance
    FROM photos
    WHERE bit_count((dhash # $1::bigint)::bit(64)) <= $2
    ORDER BY distance, id
    LIMIT 1
) near
JOIN art_objects o ON o.photo_id = near.id
JOIN users u ON u.id = o.owner_id
"""


async def find_near_duplicate(
    conn: Connection, dhash: int, max_distance: int, viewer: int
) -> SimilarObject | None:
    row = await conn.fetchrow(NEAR_DUPLICATE, dhash, max_distance, viewer)
    return None if row is None else SimilarObject.model_validate(dict(row))


async def known_photo_ids(conn: Connection) -> set[int]:
    return {row["id"] for row in await conn.fetch("SELECT id FROM photos")}


async def delete_photo(conn: Connection, photo_id: int) -> PhotoRow:
    row = await conn.fetchrow(
        f"DELETE FROM photos WHERE id = $1 RETURNING {PHOTO_COLUMNS}", photo_id
    )
    if row is None:
        raise NotFound(f"photo {photo_id} does not exist")
    return PhotoRow.model_validate(dict(row))
