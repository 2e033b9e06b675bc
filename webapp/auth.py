"""Who is calling: the user behind `Authorization: Bearer <access token>`, while their login
stands (webapp/session_gate.py says how fresh that answer is)."""

from __future__ import annotations

from aiohttp import web

from storage.db import Connection
from storage.errors import DomainError
from storage.models import UserRow
from storage.sessions import session_user
from webapp.errors import Unauthorized
from webapp.services import WebServices
from webapp.tokens import AccessClaims, read_access_token

BEARER = "bearer "


class SessionEnded(Unauthorized):
    code = "session_ended"


class AccountBanned(DomainError):
    code = "banned"
    status = 403


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    if not header.lower().startswith(BEARER) or not header[len(BEARER):].strip():
        raise Unauthorized("expected Authorization: Bearer <access token>")
    return header[len(BEARER):].strip()


async def _read_user(
    web_services: WebServices, claims: AccessClaims, conn: Connection | None
) -> UserRow | None:
    """The person, if their login stands, read in one statement (on the request's connection
    when it has one); remembered for a while."""
    gate = web_services.session_gate
    known = gate.known(claims.session)
    if known is not None:
        return known.user
    if conn is not None:
        found = await session_user(conn, claims.user_id, claims.session)
    else:
        async with web_services.pool.acquire() as own:
            found = await session_user(own, claims.user_id, claims.session)
    if found.user is None:
        raise Unauthorized("the access token names no known user")
    user = found.user if found.live else None
    gate.remember(claims.session, user)
    return user


async def user_for_token(
    web_services: WebServices, token: str, conn: Connection | None
) -> UserRow:
    claims = read_access_token(token, key=web_services.session_gate.jwt_key)
    user = await _read_user(web_services, claims, conn)
    if user is None:
        raise SessionEnded("this login has ended (logged out or revoked); log in again")
    if user.id != claims.user_id:
        raise Unauthorized("the access token is not valid")
    if user.banned_at is not None:
        raise AccountBanned("this account is banned by the moderators")
    return user


async def current_user(
    request: web.Request, web_services: WebServices, conn: Connection | None = None
) -> UserRow:
    """The logged-in user; 401 `unauthorized`, `session_ended`, or `token_expired` when a
    refresh would help."""
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("log in first: Authorization: Bearer <access token>")
    return await user_for_token(web_services, token, conn)


async def optional_user(
    request: web.Request, web_services: WebServices, conn: Connection | None = None
) -> UserRow | None:
    """The logged-in user, or None for an anonymous call; a bad token is still refused, so a
    client learns its token expired instead of silently seeing less."""
    token = bearer_token(request)
    return None if token is None else await user_for_token(web_services, token, conn)
