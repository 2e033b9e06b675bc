"""The composition root's own resources on the application, declared in one place. The
surfaces declare theirs (webapp.services.WEB, webapp.routing.API_ROUTES); this module and
server/ wire them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import asyncpg
from aiohttp import web

from bot.runtime import BotRuntime
from config.settings import Settings
from gallery.photos.pools import ImagePools
from sandbox.runner import RunningSandbox
from storage.media import MediaStore
from storage.migrate import Migration

if TYPE_CHECKING:  # server.health and server.metrics import this module
    from server.health import MediaProbe
    from server.metrics import MetricsAccess, OutboxReading

SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
DB_POOL: web.AppKey[asyncpg.Pool] = web.AppKey("db_pool", asyncpg.Pool)
MIGRATIONS: web.AppKey[list[Migration]] = web.AppKey("migrations")
SANDBOX: web.AppKey[RunningSandbox] = web.AppKey("sandbox", RunningSandbox)
BOT: web.AppKey[BotRuntime] = web.AppKey("bot", BotRuntime)
IMAGE_POOLS: web.AppKey[ImagePools] = web.AppKey("image_pools", ImagePools)
MEDIA_STORE: web.AppKey[MediaStore] = web.AppKey("media_store")
MEDIA_PROBE: web.AppKey[MediaProbe] = web.AppKey("media_probe")
METRICS_ACCESS: web.AppKey[MetricsAccess] = web.AppKey("metrics_access")
OUTBOX_READING: web.AppKey[OutboxReading] = web.AppKey("outbox_reading")
