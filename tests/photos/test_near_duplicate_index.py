"""The near-duplicate lookup through the dHash slice indexes answers exactly as the scan does."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from math import comb

import asyncpg

from storage.photos import (
    DHASH_SLICES,
    INDEXED_MAX_DISTANCE,
    NEAR_DUPLICATE_INDEXED,
    find_near_duplicate,
    find_near_duplicate_by_scan,
    slice_probes,
)

PUBLIC, PRIVATE, APPROVED, VIEWER, BANNED = 2001, 2002, 2003, 2004, 2005
OWNERS = (PUBLIC, PRIVATE, APPROVED, VIEWER, BANNED)
RANDOM_PHOTOS = 4000
CENTRES = 120
FARTHEST = INDEXED_MAX_DISTANCE + 1  # planted neighbours reach one bit past the widest radius


def signed(unsigned: int) -> int:
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def flipped(dhash: int, bits: list[int]) -> int:
    unsigned = dhash & ((1 << 64) - 1)
    for bit in bits:
        unsigned ^= 1 << bit
    return signed(unsigned)


def neighbour(rng: random.Random, centre: int, distance: int) -> int:
    """Half of them have their flipped bits packed into one slice, the worst case for the
    pigeonhole (the other slices match exactly), the rest have them anywhere."""
    if rng.random() < 0.5:
        shift, width = rng.choice(DHASH_SLICES)
        return flipped(centre, [shift + b for b in rng.sample(range(width), min(distance, width))])
    return flipped(centre, rng.sample(range(64), distance))


def planted_hashes(rng: random.Random) -> tuple[list[int], list[int]]:
    """Random hashes, and centres each with two neighbours at every distance 0..FARTHEST (so
    ties on distance are settled by the photo id)."""
    hashes = [signed(rng.getrandbits(64)) for _ in range(RANDOM_PHOTOS)]
    centres = [signed(rng.getrandbits(64)) for _ in range(CENTRES)]
    for centre in centres:
        hashes += [neighbour(rng, centre, d) for d in range(FARTHEST + 1) for _ in range(2)]
    rng.shuffle(hashes)
    return hashes, centres


async def seed(db: asyncpg.Connection, rng: random.Random, hashes: list[int]) -> None:
    """Every 13th photo has no object (its row never committed); every 7th object is hidden."""
    now = datetime.now(UTC)
    await db.executemany(
        "INSERT INTO users (id, first_name) VALUES ($1, 'Owner')", [(u,) for u in OWNERS]
    )
    await db.execute("UPDATE users SET privacy = 'private' WHERE id = $1", PRIVATE)
    await db.execute("UPDATE users SET privacy = 'approved' WHERE id = $1", APPROVED)
    await db.execute(
        "UPDATE users SET banned_at = now(), ban_reason = 'spam' WHERE id = $1", BANNED
    )
    await db.execute(
        """INSERT INTO profile_requests (requester_id, target_id, status, expires_at, decided_at)
           VALUES ($1, $2, 'approved', now() + interval '1 day', now())""",
        VIEWER,
        APPROVED,
    )
    owners = [rng.choice(OWNERS) for _ in hashes]
    photos = [
        (n, f"{n:064x}", h, 1, 1, "jpeg", 1, "o", "p", "t", owners[n - 1])
        for n, h in enumerate(hashes, start=1)
    ]
    await db.copy_records_to_table(
        "photos",
        records=photos,
        columns=[
            "id",
            "sha256",
            "dhash",
            "width",
            "height",
            "format",
            "byte_size",
            "original_key",
            "preview_key",
            "thumb_key",
            "uploaded_by",
        ],
    )
    objects = [
        (
            n,
            f"Photo {n}",
            owners[n - 1],
            owners[n - 1],
            now if n % 7 == 0 else None,
            "hidden" if n % 7 == 0 else None,
        )
        for n in range(1, len(hashes) + 1)
        if n % 13
    ]
    await db.copy_records_to_table(
        "art_objects",
        records=objects,
        columns=["photo_id", "title", "creator_id", "owner_id", "hidden_at", "hidden_reason"],
    )
    await db.execute("ANALYZE photos")


def queries(rng: random.Random, centres: list[int]) -> list[int]:
    """The centres, hashes a few bits off a centre, and hashes near nothing."""
    near = [flipped(c, rng.sample(range(64), rng.randint(1, 4))) for c in centres]
    return centres + near + [signed(rng.getrandbits(64)) for _ in range(60)]


async def test_the_indexed_lookup_finds_what_the_scan_finds(db: asyncpg.Connection) -> None:
    rng = random.Random(17)
    hashes, centres = planted_hashes(rng)
    await seed(db, rng, hashes)
    found = 0
    for query in queries(rng, centres):
        viewer = rng.choice((*OWNERS, 9999))
        for radius in range(FARTHEST + 2):
            indexed = await find_near_duplicate(db, query, radius, viewer)
            scanned = await find_near_duplicate_by_scan(db, query, radius, viewer)
            assert indexed == scanned, (query, radius, viewer)
            found += indexed is not None
    # most lookups find a planted photo, and some answers are hidden from their viewer
    assert found > len(centres) * (FARTHEST + 2)


def test_the_probes_are_every_value_within_the_flips() -> None:
    dhash = signed(random.Random(3).getrandbits(64))
    for shift, width in DHASH_SLICES:
        value = (dhash >> shift) & ((1 << width) - 1)
        for flips in range(3):
            probes = slice_probes(dhash, shift, width, flips)
            assert len(set(probes)) == sum(comb(width, k) for k in range(flips + 1))
            assert all((p ^ value).bit_count() <= flips and p < 1 << width for p in probes)


async def test_the_lookup_reads_the_slice_indexes(db: asyncpg.Connection) -> None:
    rng = random.Random(5)
    await seed(db, rng, planted_hashes(rng)[0])
    dhash = signed(rng.getrandbits(64))
    probes = [slice_probes(dhash, shift, width, 1) for shift, width in DHASH_SLICES]
    plan = "\n".join(
        r[0] for r in await db.fetch("EXPLAIN " + NEAR_DUPLICATE_INDEXED, dhash, 4, VIEWER, *probes)
    )
    for band in range(len(DHASH_SLICES)):
        assert f"Bitmap Index Scan on photos_dhash_band{band}_idx" in plan, plan
    assert "Seq Scan on photos" not in plan, plan
