"""The orphan sweep: media files whose photo row never committed, or was deleted."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import asyncpg

from storage.files import MediaStore
from storage.photos import known_photo_ids

log = logging.getLogger(__name__)

# Files are written inside the upload's transaction, before its row is visible; no upload
# holds its transaction open anywhere near this long.
ORPHAN_GRACE = timedelta(hours=1)


async def sweep_orphans(
    pool: asyncpg.Pool, store: MediaStore, grace: timedelta = ORPHAN_GRACE
) -> list[str]:
    """Remove files of photos the database does not know, once older than `grace`.

    The ids are read before the directory is listed: a photo committed in between is newer
    than the grace period, so its files are never candidates.
    """
    async with pool.acquire() as conn:
        known = await known_photo_ids(conn)
    loop = asyncio.get_running_loop()
    removed = await loop.run_in_executor(None, store.sweep_orphans, known, grace)
    if removed:
        log.info("orphan sweep removed %d media files", len(removed))
    return removed
