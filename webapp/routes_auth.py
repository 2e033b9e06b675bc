"""Login from the mini-app's signed launch data, refresh, logout."""

from __future__ import annotations

from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from config.settings import Settings
from gallery.moderation.queries import is_operator
from storage.db import Connection
from storage.models import UserRow
from storage.users import upsert_user
from webapp.auth import AccountBanned
from webapp.initdata import InitData, validate_init_data
from webapp.inputs import BodyIn
from webapp.limits import enforce_rule
from webapp.routing import RouteTable
from webapp.services import WebServices
from webapp.tokens import TokenPair, end_session, rotate_session, session_keys, start_session
from webapp.views import Me

api_route = RouteTable()
REFRESH_TOKEN_FIELD = Field(min_length=1, max_length=200)


class AuthRequest(BodyIn):
    init_data: str = Field(min_length=1, max_length=8192,
                           description="window.WebApp.initData, exactly as MAX gave it")


class RefreshRequest(BodyIn):
    refresh_token: str = REFRESH_TOKEN_FIELD


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int = Field(description="seconds the access token is valid")
    refresh_token: str
    refresh_expires_in: int = Field(description="seconds the refresh token is valid")

    @classmethod
    def from_pair(cls, pair: TokenPair) -> TokenResponse:
        return cls(access_token=pair.access_token, expires_in=pair.expires_in,
                   refresh_token=pair.refresh_token, refresh_expires_in=pair.refresh_expires_in)


class AuthResponse(TokenResponse):
    user: Me
    start_param: str | None = Field(description="the ?startapp= payload the app was opened with")


def checked_launch(settings: Settings, init_data: str) -> InitData:
    return validate_init_data(
        init_data,
        settings.bot_token,
        max_age_s=settings.auth.init_data_max_age_s,
        skew_s=settings.auth.clock_skew_s,
    )


@api_route("POST", "/auth", summary="Log in with the mini-app's initData", body=AuthRequest,
           response=AuthResponse, auth=False, limit="auth",
           errors={401: "initData refused: bad_format, duplicate_key, missing_hash, bad_hash, "
                        "stale, future, missing_user or bad_user",
                   403: "banned: an operator banned this person"})
async def log_in(
    request: web.Request, body: AuthRequest, conn: Connection, services: WebServices
) -> AuthResponse:
    launch = checked_launch(services.settings, body.init_data)
    # the address was counted before the handler; the person is known once the data is checked
    await enforce_rule(request, "auth", person=launch.user.id, conn=conn, by_address=False)
    async with conn.transaction():
        user = await upsert_launch_user(conn, launch)
        if user.banned_at is not None:  # no login for a person every call would refuse
            raise AccountBanned("this account is banned by the moderators")
        pair = await start_session(conn, user.id, session_keys(services.settings))
    me = Me.from_row(user, operator=is_operator(services.settings.moderation, user.id))
    return AuthResponse(**TokenResponse.from_pair(pair).model_dump(), user=me,
                        start_param=launch.start_param)


async def upsert_launch_user(conn: Connection, launch: InitData) -> UserRow:
    signed = launch.user
    return await upsert_user(
        conn,
        user_id=signed.id, first_name=signed.first_name, last_name=signed.last_name,
        username=signed.username, locale=signed.language_code, avatar_url=signed.photo_url,
    )


@api_route("POST", "/auth/refresh", summary="Trade a refresh token for a new pair",
           body=RefreshRequest, response=TokenResponse, auth=False, limit="auth",
           errors={401: "invalid_refresh_token, refresh_token_expired, refresh_token_revoked, "
                        "or refresh_token_reused (the whole login is revoked): log in again"})
async def refresh(
    request: web.Request, body: RefreshRequest, conn: Connection, services: WebServices
) -> TokenResponse:
    keys = session_keys(services.settings)
    pair = await rotate_session(conn, body.refresh_token, keys, services.session_gate)
    return TokenResponse.from_pair(pair)


@api_route("POST", "/auth/logout", summary="End this login (every token of it)",
           body=RefreshRequest, status=204, auth=False)
async def log_out(
    request: web.Request, body: RefreshRequest, conn: Connection, services: WebServices
) -> None:
    await end_session(conn, body.refresh_token, services.session_gate)


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
