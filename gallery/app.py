"""The composition root: create_app wires resources, routes and middlewares, and does no I/O."""

from __future__ import annotations

from aiohttp import web

from bot.runtime import bot_ctx, sandbox_ctx, webhook_view
from gallery.database import database_ctx
from gallery.health import setup_health
from gallery.keys import SETTINGS
from gallery.logs import error_middleware, request_id_middleware
from gallery.settings import Settings
from webapp.api import create_api


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[request_id_middleware, error_middleware],
        client_max_size=settings.bot.webhook_max_body_bytes,
    )
    app[SETTINGS] = settings
    app.cleanup_ctx.extend([database_ctx, sandbox_ctx, bot_ctx])
    setup_health(app)
    app.router.add_post(settings.bot.webhook_path, webhook_view)
    app.add_subapp("/api", create_api())
    return app
