"""The logged-in person."""

from __future__ import annotations

from aiohttp import web

from gallery.moderation.queries import is_operator
from storage.db import Connection
from storage.models import UserRow
from storage.users import get_user
from webapp.errors import Unauthorized
from webapp.routing import RouteTable
from webapp.services import WebServices
from webapp.views import Me

api_route = RouteTable()


@api_route("GET", "/me", summary="The logged-in person", response=Me)
async def get_me(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> Me:
    # read afresh: the authenticated row may be a few seconds old (webapp/session_gate.py),
    # and a person who just changed a setting must see it
    fresh = await get_user(conn, user.id)
    if fresh is None:
        raise Unauthorized("the access token names no known user")
    return Me.from_row(fresh, operator=is_operator(services.settings.moderation, fresh.id))


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
