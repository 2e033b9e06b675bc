"""The data of bench/scale.py, written with COPY: a gallery of `objects` art objects.

Proportions, per object: a tenth of a person (90% public collections, 7% approved, 3% private,
one in a thousand banned), one photo with a random 64-bit dHash, a 'created' history line and a
tenth of one 'trade' line (and its accepted trade), 1.5 favourites, one hidden in a thousand.
Every approved collection has three approved readers. People 1..TRADES each propose one pending
one-for-one trade to person 0 (VIEWER), who accepts them in the bench.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg

from storage.pages import Cursor

USER_BASE = 1_000_000
VIEWER = USER_BASE  # a public collector: logs in, browses, accepts the trades
TRADES = 48
SUBJECTS = str.split(
    "lighthouse harbour cathedral bridge meadow glacier market orchard canyon lagoon "
    "windmill vineyard monastery waterfall tramway fortress dune reef volcano birch "
    "heron fox owl tiger poppy tulip cactus fern river island tower garden street "
    "train ferry kite lantern violin teapot bicycle"
)
ADJECTIVES = str.split("quiet golden misty frozen scarlet distant ancient sunlit stormy silver")
PLACEHOLDER = "1QcSHQRnh493V4dIh4eXh1h4kJUI99zPaA"
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=700)
EXPIRES = datetime(2100, 1, 1, tzinfo=UTC)


def splitmix64(n: int) -> int:
    z = (n * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


def dhash_of(photo_id: int) -> int:
    """Photo n's dHash, as stored: signed."""
    unsigned = splitmix64(photo_id)
    return unsigned - (1 << 64) if unsigned >= 1 << 63 else unsigned


def created_at(objects: int, object_id: int) -> datetime:
    """Object n was made n steps into the span: ids and times rise together."""
    return START + SPAN * object_id / objects


def people(objects: int) -> int:
    return max(TRADES + 10, objects // 10)


def privacy_of(person: int) -> str:
    share = person % 100
    return "public" if share < 90 else "approved" if share < 97 else "private"


def owners(objects: int) -> list[int]:
    """Owner of object n (index n - 1): the pending trades' objects are pinned."""
    rng = random.Random(objects)
    count = people(objects)
    found = [USER_BASE + rng.randrange(count) for _ in range(objects)]
    for trade in range(TRADES):
        found[trade] = VIEWER  # what the viewer gives
        found[TRADES + trade] = USER_BASE + 1 + trade  # what the proposer gives
    return found


def user_rows(objects: int) -> Iterator[tuple[object, ...]]:
    for person in range(people(objects)):
        banned = person % 1000 == 999
        yield (USER_BASE + person, f"Collector {person}", privacy_of(person),
               START if banned else None, "spam" if banned else None)  # fmt: skip


def photo_rows(owner: list[int]) -> Iterator[tuple[object, ...]]:
    for n, uploader in enumerate(owner, start=1):
        key = f"{n % 256:02x}/{n}"
        yield (n, f"{n:064x}", dhash_of(n), 1280, 960, "jpeg", 2_000_000,
               f"{key}/full.jpg", f"{key}/preview.webp", f"{key}/thumb.webp",
               PLACEHOLDER, uploader, created_at(len(owner), n))  # fmt: skip


def creator_of(n: int, owner: int, objects: int) -> int:
    """One object in ten changed hands once: its creator is someone else."""
    if n <= 2 * TRADES or n % 10:
        return owner
    return USER_BASE + (owner - USER_BASE + n) % people(objects)


def words_of(n: int) -> tuple[str, str]:
    """Object n's title and description."""
    rng = random.Random(n)
    adjective, subject = rng.choice(ADJECTIVES), rng.choice(SUBJECTS)
    scene = f"A {rng.choice(ADJECTIVES)} {rng.choice(SUBJECTS)} by the {subject}"
    return f"{adjective.title()} {subject} {n}", scene


def object_rows(owner: list[int]) -> Iterator[tuple[object, ...]]:
    for n, holder in enumerate(owner, start=1):
        at = created_at(len(owner), n)
        hidden = n % 1000 == 500
        yield (n, n, *words_of(n), creator_of(n, holder, len(owner)), holder, at, at,
               at if hidden else None, "reported" if hidden else None)  # fmt: skip


def history_rows(owner: list[int]) -> Iterator[tuple[object, ...]]:
    for n, holder in enumerate(owner, start=1):
        creator = creator_of(n, holder, len(owner))
        yield n, None, creator, "created", None, created_at(len(owner), n)
        if creator != holder:
            yield n, creator, holder, "trade", n // 10, created_at(len(owner), n) + SPAN / 100


def past_trade_rows(owner: list[int]) -> Iterator[tuple[object, ...]]:
    """The accepted trade behind each 'trade' history line (id n // 10)."""
    for n, holder in enumerate(owner, start=1):
        creator = creator_of(n, holder, len(owner))
        if creator != holder:
            at = created_at(len(owner), n)
            yield n // 10, creator, holder, "accepted", at, at + SPAN / 100, EXPIRES


def past_item_rows(owner: list[int]) -> Iterator[tuple[object, ...]]:
    for n, holder in enumerate(owner, start=1):
        creator = creator_of(n, holder, len(owner))
        if creator != holder:
            yield n // 10, n, "give", creator, words_of(n)[0]


def favourite_rows(objects: int) -> Iterator[tuple[object, ...]]:
    rng = random.Random(-objects)
    count = people(objects)
    for n in range(1, objects + 1):
        for person in rng.sample(range(count), rng.choice((0, 0, 1, 2, 2, 4))):
            yield USER_BASE + person, n, created_at(objects, n) + SPAN / 50


def approval_rows(objects: int) -> Iterator[tuple[object, ...]]:
    count = people(objects)
    for person in range(count):
        if privacy_of(person) == "approved":
            for step in (1, 7, 31):
                reader = USER_BASE + (person + step) % count
                yield reader, USER_BASE + person, "approved", EXPIRES, START, START


def pending_trade_rows(objects: int) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Trade t (ids after the past ones): person t+1 gives object TRADES+t+1 for object t+1."""
    trades: list[tuple[object, ...]] = []
    items: list[tuple[object, ...]] = []
    for t, trade_id in enumerate(pending_trade_ids(objects)):
        proposer = USER_BASE + 1 + t
        trades.append((trade_id, proposer, VIEWER, "pending", START, None, EXPIRES))
        items.append((trade_id, TRADES + t + 1, "give", proposer, words_of(TRADES + t + 1)[0]))
        items.append((trade_id, t + 1, "take", VIEWER, words_of(t + 1)[0]))
    return trades, items


TRADE_COLUMNS = ["id", "proposer_id", "recipient_id", "status", "created_at", "decided_at",
                 "expires_at"]  # fmt: skip
ITEM_COLUMNS = ["trade_id", "object_id", "side", "owner_id", "title"]
TABLES = {
    "users": ["id", "first_name", "privacy", "banned_at", "ban_reason"],
    "photos": ["id", "sha256", "dhash", "width", "height", "format", "byte_size", "original_key",
               "preview_key", "thumb_key", "placeholder", "uploaded_by", "created_at"],
    "art_objects": ["id", "photo_id", "title", "description", "creator_id", "owner_id",
                    "created_at", "updated_at", "hidden_at", "hidden_reason"],
    "ownership_history": ["object_id", "from_user_id", "to_user_id", "reason", "reference_id",
                          "created_at"],
    "favorites": ["user_id", "object_id", "created_at"],
    "profile_requests": ["requester_id", "target_id", "status", "expires_at", "created_at",
                         "decided_at"],
}  # fmt: skip


# COPY wrote the ids: the sequences go past them
SET_SEQUENCE = (
    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
)


async def seed(conn: asyncpg.Connection, objects: int) -> None:
    owner = owners(objects)
    rows = {
        "users": user_rows(objects),
        "photos": photo_rows(owner),
        "art_objects": object_rows(owner),
        "ownership_history": history_rows(owner),
        "favorites": favourite_rows(objects),
        "profile_requests": approval_rows(objects),
    }
    for table, columns in TABLES.items():
        await conn.copy_records_to_table(table, records=rows[table], columns=columns)
    await conn.copy_records_to_table(
        "trades", records=past_trade_rows(owner), columns=TRADE_COLUMNS
    )
    await conn.copy_records_to_table(
        "trade_items", records=past_item_rows(owner), columns=ITEM_COLUMNS
    )
    trades, items = pending_trade_rows(objects)
    await conn.copy_records_to_table("trades", records=trades, columns=TRADE_COLUMNS)
    await conn.copy_records_to_table("trade_items", records=items, columns=ITEM_COLUMNS)
    for table in ("photos", "art_objects", "trades"):
        await conn.execute(SET_SEQUENCE.format(table=table))
    await conn.execute("VACUUM ANALYZE")


def pending_trade_ids(objects: int) -> list[int]:
    return list(range(objects // 10 + 1, objects // 10 + 1 + TRADES))


def deep_cursor(objects: int) -> str:
    middle = objects // 2
    return Cursor(created_at(objects, middle), middle).encode()


def near_queries(objects: int) -> list[int]:
    """Stored photos' hashes two bits off (found), and random hashes (mostly not)."""
    rng = random.Random(objects)
    planted = [dhash_of(rng.randint(1, objects)) ^ (1 << rng.randrange(63)) ^ 1 for _ in range(10)]
    return planted + [rng.getrandbits(63) - rng.getrandbits(1) * (1 << 63) for _ in range(10)]
