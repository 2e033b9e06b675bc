"""The composition root: create_app wires resources, routes and middlewares, and does no I/O."""

from __future__ import annotations

from aiohttp import web

from bot.runtime import bot_ctx, sandbox_ctx, webhook_view
from gallery.database import database_ctx
from gallery.health import setup_health
from gallery.jobs import scheduler_ctx
from gallery.keys import MEDIA_SIGNER, MEDIA_STORE, SESSION_GATE, SETTINGS
from gallery.logs import error_middleware, request_id_middleware
from gallery.pools import image_pools_ctx
from gallery.settings import Settings
from storage.files import FileStore
from webapp.api import create_api
from webapp.headers import setup_response_headers
from webapp.media_urls import MediaSigner
from webapp.pages import setup_pages
from webapp.routes_media import setup_media_routes
from webapp.session_gate import SessionGate


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[request_id_middleware, error_middleware],
        client_max_size=settings.bot.webhook_max_body_bytes,
    )
    app[SETTINGS] = settings
    app[MEDIA_STORE] = FileStore(settings.media.root)
    app[MEDIA_SIGNER] = MediaSigner.from_settings(settings)
    app[SESSION_GATE] = SessionGate.from_settings(settings)
    app.cleanup_ctx.extend([database_ctx, image_pools_ctx, sandbox_ctx, bot_ctx, scheduler_ctx])
    setup_response_headers(app)
    setup_health(app)
    setup_media_routes(app)
    setup_pages(app)
    app.router.add_post(settings.bot.webhook_path, webhook_view)
    app.add_subapp("/api", create_api())
    return app
