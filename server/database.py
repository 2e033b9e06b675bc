"""The database resource of the app: URL (or embedded server), pool, migrations at start."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import asyncpg
from aiohttp import web

from server.keys import DB_POOL, MIGRATIONS, SETTINGS
from storage.db import create_pool, database_url
from storage.migrate import load_migrations, migrate

log = logging.getLogger(__name__)


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS].database
    app[MIGRATIONS] = load_migrations()
    async with database_url(settings) as url:
        pool = await create_pool(url, settings)
        try:
            async with pool.acquire() as conn:
                applied = await migrate(conn)
            if applied:
                log.info("migrations applied: %s", ", ".join(applied))
            app[DB_POOL] = pool
            yield
        finally:
            await close_pool(pool, app[SETTINGS].server.shutdown_timeout_s)


async def close_pool(pool: asyncpg.Pool, grace_s: float) -> None:
    """Close gracefully, but a shutdown must end: a connection still busy after `grace_s` (a
    statement stuck on a lock, a task that never let go) is terminated."""
    try:
        await asyncio.wait_for(pool.close(), grace_s)
    except TimeoutError:
        log.warning("database connections still busy after %.0fs; terminating them", grace_s)
        pool.terminate()
