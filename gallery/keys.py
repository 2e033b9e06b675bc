"""Every shared resource on the application, declared in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    import asyncpg

    from gallery.settings import Settings
    from storage.migrate import Migration

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
DB_POOL: web.AppKey[asyncpg.Pool] = web.AppKey("db_pool")
MIGRATIONS: web.AppKey[list[Migration]] = web.AppKey("migrations")
