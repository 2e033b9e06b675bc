"""The composition root: create_app wires resources, routes and middlewares, and does no I/O."""

from __future__ import annotations

from aiohttp import web

from config.settings import Settings
from server.bot import bot_ctx, webhook_view
from server.database import database_ctx
from server.health import setup_health
from server.jobs import scheduler_ctx
from server.keys import MEDIA_STORE, SETTINGS
from server.logs import error_middleware, request_id_middleware
from server.metrics import http_metrics_middleware, setup_metrics
from server.resources import image_pools_ctx, web_ctx
from server.sandbox import sandbox_ctx
from storage.media import open_media_store
from webapp.api import create_api
from webapp.headers import setup_response_headers
from webapp.pages import setup_pages
from webapp.routes_media import setup_media_routes


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[http_metrics_middleware, request_id_middleware, error_middleware],
        client_max_size=settings.bot.webhook_max_body_bytes,
    )
    app[SETTINGS] = settings
    app[MEDIA_STORE] = open_media_store(settings.media)
    app.cleanup_ctx.extend(
        [database_ctx, image_pools_ctx, sandbox_ctx, bot_ctx, web_ctx, scheduler_ctx]
    )
    setup_response_headers(app)
    setup_health(app)
    setup_metrics(app)
    setup_media_routes(app)
    setup_pages(app)
    app.router.add_post(settings.bot.webhook_path, webhook_view)
    app.add_subapp("/api", create_api())
    return app
