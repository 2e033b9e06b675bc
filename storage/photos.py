"""SQL for stored images: reserve an id, insert, find duplicates, forget."""

from __future__ import annotations

from datetime import datetime
from itertools import combinations

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


# The photo closest to `dhash` within $2 bits (the lowest id among equals), then its object.
# bit_count(bit) is PostgreSQL 14+ (checked on 15 and 18).
def _nearest(candidates: str) -> str:
    return f"""
SELECT o.id AS object_id, o.title, near.distance,
       {object_visible_to("o", "u", "$3")} AS visible
FROM (
    SELECT id, bit_count((dhash # $1::bigint)::bit(64)) AS distance
    FROM photos
    WHERE {candidates} bit_count((dhash # $1::bigint)::bit(64)) <= $2
    ORDER BY distance, id
    LIMIT 1
) near
JOIN art_objects o ON o.photo_id = near.id
JOIN users u ON u.id = o.owner_id
"""


# Every photo's dHash: about 2 ms per 10,000 photos, linear.
NEAR_DUPLICATE_SCAN = _nearest("")

# Multi-index hashing. The 64 bits are cut into three slices, each with an exact-match expression
# index (migration 0017, whose expressions these must repeat exactly). Two hashes within r bits
# differ in at most r // 3 bits of some slice (pigeonhole), so probing each slice with every value
# within that many flipped bits finds every photo the scan would; the distance is then checked on
# those candidates only. Up to two flips (radius 8: 22+23 and 232+254 probes) that is a few rows
# per slice value at 10^6 photos; a wider radius needs thousands of probes per slice and reads a
# large share of the table, so it scans.
DHASH_SLICES = ((0, 21), (21, 21), (42, 22))  # (shift, width) in bits
MAX_FLIPS = 2
INDEXED_MAX_DISTANCE = len(DHASH_SLICES) * (MAX_FLIPS + 1) - 1
NEAR_DUPLICATE_INDEXED = _nearest(
    """((dhash & 2097151) = ANY($4::bigint[])
         OR ((dhash >> 21) & 2097151) = ANY($5::bigint[])
         OR ((dhash >> 42) & 4194303) = ANY($6::bigint[])) AND"""
)


def slice_probes(dhash: int, shift: int, width: int, flips: int) -> list[int]:
    """The slice of `dhash`, and every value within `flips` flipped bits of it."""
    value = (dhash >> shift) & ((1 << width) - 1)
    masks = (
        sum(1 << bit for bit in bits)
        for count in range(flips + 1)
        for bits in combinations(range(width), count)
    )
    return [value ^ mask for mask in masks]


async def find_near_duplicate(
    conn: Connection, dhash: int, max_distance: int, viewer: int
) -> SimilarObject | None:
    """The same answer as find_near_duplicate_by_scan, through the slice indexes."""
    if max_distance > INDEXED_MAX_DISTANCE:
        return await find_near_duplicate_by_scan(conn, dhash, max_distance, viewer)
    flips = max_distance // len(DHASH_SLICES)
    probes = [slice_probes(dhash, shift, width, flips) for shift, width in DHASH_SLICES]
    row = await conn.fetchrow(NEAR_DUPLICATE_INDEXED, dhash, max_distance, viewer, *probes)
    return None if row is None else SimilarObject.model_validate(dict(row))


async def find_near_duplicate_by_scan(
    conn: Connection, dhash: int, max_distance: int, viewer: int
) -> SimilarObject | None:
    row = await conn.fetchrow(NEAR_DUPLICATE_SCAN, dhash, max_distance, viewer)
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
