"""Every shared resource on the application, declared in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    import asyncpg

    from bot.services import BotServices
    from bot.webhook import WebhookEndpoint
    from gallery.pools import ImagePools
    from gallery.settings import Settings
    from sandbox.runner import RunningSandbox
    from storage.files import FileStore
    from storage.migrate import Migration
    from webapp.media_urls import MediaSigner
    from webapp.routing import ApiRoute
    from webapp.session_gate import SessionGate

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
DB_POOL: web.AppKey[asyncpg.Pool] = web.AppKey("db_pool")
MIGRATIONS: web.AppKey[list[Migration]] = web.AppKey("migrations")
SANDBOX: web.AppKey[RunningSandbox] = web.AppKey("sandbox")
BOT: web.AppKey[BotServices] = web.AppKey("bot")
WEBHOOK: web.AppKey[WebhookEndpoint] = web.AppKey("webhook")
IMAGE_POOLS: web.AppKey[ImagePools] = web.AppKey("image_pools")
MEDIA_STORE: web.AppKey[FileStore] = web.AppKey("media_store")
API_ROUTES: web.AppKey[list[ApiRoute]] = web.AppKey("api_routes")
MEDIA_SIGNER: web.AppKey[MediaSigner] = web.AppKey("media_signer")
SESSION_GATE: web.AppKey[SessionGate] = web.AppKey("session_gate")
