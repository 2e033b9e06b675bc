"""Attacks with several made-up accounts: the trade cast (people with objects, over the API)."""

from __future__ import annotations

import asyncpg

from storage.media import storage_key
from tests.trades.conftest import alice, bob, carol, pool, rules_overrides, settings

__all__ = ["alice", "bob", "carol", "insert_object", "pool", "rules_overrides", "settings"]


async def insert_object(db: asyncpg.Connection, owner: int, title: str) -> int:
    """An object whose photo has real storage keys (its files need not exist), so deleting it
    goes all the way through."""
    photo_id: int = await db.fetchval(
        "SELECT nextval(pg_get_serial_sequence('photos', 'id'))"
    )
    keys = [storage_key(photo_id, variant, "webp") for variant in ("full", "preview", "thumb")]
    await db.execute(
        """INSERT INTO photos (id, sha256, dhash, width, height, format, byte_size,
                               original_key, preview_key, thumb_key, uploaded_by)
           OVERRIDING SYSTEM VALUE
           VALUES ($1, md5(random()::text) || md5(random()::text), 0, 10, 10, 'webp', 1,
                   $2, $3, $4, $5)""",
        photo_id, *keys, owner,
    )  # fmt: skip
    object_id: int = await db.fetchval(
        "INSERT INTO art_objects (photo_id, title, creator_id, owner_id) "
        "VALUES ($1, $2, $3, $3) RETURNING id",
        photo_id,
        title,
        owner,
    )
    await db.execute(
        "INSERT INTO ownership_history (object_id, to_user_id, reason) VALUES ($1, $2, 'created')",
        object_id,
        owner,
    )
    return object_id
