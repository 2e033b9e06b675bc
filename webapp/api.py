"""The JSON API sub-app, mounted at /api by create_app."""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from gallery.limits.local import LocalLimiter
from webapp import (
    openapi,
    routes_account,
    routes_auth,
    routes_cards,
    routes_history,
    routes_me,
    routes_moderation,
    routes_objects,
    routes_photos,
    routes_profiles,
    routes_settings,
    routes_trades,
    routes_transfers,
)
from webapp.errors import api_error_middleware
from webapp.limits import LOCAL_LIMITER
from webapp.routing import API_ROUTES


class RouteModule(Protocol):
    def add_routes(self, api: web.Application) -> None: ...


# Append a module here to serve its routes; each lists itself in /api/openapi.json.
ROUTE_MODULES: list[RouteModule] = [
    routes_auth,
    routes_me,
    openapi,
    routes_objects,
    routes_photos,
    routes_trades,
    routes_transfers,
    routes_history,
    routes_profiles,
    routes_moderation,
    routes_cards,
    routes_settings,
    routes_account,
]


def create_api() -> web.Application:
    api = web.Application(middlewares=[api_error_middleware])
    api[API_ROUTES] = []
    api[LOCAL_LIMITER] = LocalLimiter()
    for module in ROUTE_MODULES:
        module.add_routes(api)
    return api
