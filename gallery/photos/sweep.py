"""The orphan sweep: media objects whose photo row never committed, or was deleted."""

from __future__ import annotations

import logging
from datetime import timedelta

import asyncpg

from storage.media import MediaStore
from storage.photos import known_photo_ids

log = logging.getLogger(__name__)

# Files are written inside the upload's transaction, before its row is visible; no upload
# holds its transaction open anywhere near this long.
ORPHAN_GRACE = timedelta(hours=1)


async def sweep_orphans(
    pool: asyncpg.Pool, store: MediaStore, grace: timedelta = ORPHAN_GRACE
) -> list[str]:
    """Remove objects of photos the database does not know, once older than `grace` (by the
    store's own clock: last_modified).

    The ids are read before the store is listed: a photo committed in between is newer
    than the grace period, so its files are never candidates.
    """
    async with pool.acquire() as conn:
        known = await known_photo_ids(conn)
    removed = await store.sweep_orphans(known, grace)
    if removed:
        log.info("orphan sweep removed %d media files", len(removed))
    return removed
