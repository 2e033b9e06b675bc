"""The logged-in person."""

from __future__ import annotations

from aiohttp import web

from storage.models import UserRow
from webapp.routing import RouteTable
from webapp.views import Me

api_route = RouteTable()


@api_route("GET", "/me", summary="The logged-in person", response=Me)
async def get_me(request: web.Request, user: UserRow) -> Me:
    return Me.from_row(user)


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
