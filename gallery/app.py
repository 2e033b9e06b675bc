"""The composition root: create_app wires resources, routes and middlewares, and does no I/O."""

from __future__ import annotations

from aiohttp import web

from gallery.database import database_ctx
from gallery.health import setup_health
from gallery.keys import SETTINGS
from gallery.logs import error_middleware, request_id_middleware
from gallery.settings import Settings


def create_app(settings: Settings) -> web.Application:
    app = web.Application(
        middlewares=[request_id_middleware, error_middleware],
        client_max_size=settings.bot.webhook_max_body_bytes,
    )
    app[SETTINGS] = settings
    app.cleanup_ctx.append(database_ctx)
    setup_health(app)
    return app
