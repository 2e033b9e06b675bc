"""Who is calling: the user behind `Authorization: Bearer <access token>`."""

from __future__ import annotations

from aiohttp import web

from gallery.keys import DB_POOL, SETTINGS
from storage.models import UserRow
from storage.users import get_user
from webapp.errors import Unauthorized
from webapp.tokens import read_access_token

BEARER = "bearer "


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    if not header.lower().startswith(BEARER) or not header[len(BEARER):].strip():
        raise Unauthorized("expected Authorization: Bearer <access token>")
    return header[len(BEARER):].strip()


async def user_for_token(request: web.Request, token: str) -> UserRow:
    user_id = read_access_token(token, key=request.config_dict[SETTINGS].derived_key("jwt"))
    async with request.config_dict[DB_POOL].acquire() as conn:
        user = await get_user(conn, user_id)
    if user is None:
        raise Unauthorized("the access token names no known user")
    return user


async def current_user(request: web.Request) -> UserRow:
    """The logged-in user; 401 `unauthorized`, or `token_expired` when a refresh would help."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("log in first: Authorization: Bearer <access token>")
    return await user_for_token(request, token)


async def optional_user(request: web.Request) -> UserRow | None:
    """The logged-in user, or None for an anonymous call; a bad token is still refused, so a
    client learns its token expired instead of silently seeing less."""
    token = bearer_token(request)
    return None if token is None else await user_for_token(request, token)
