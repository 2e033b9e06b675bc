"""Access tokens end with their login: at once after a logout or a refresh token's reuse in the
process that saw it, and within auth.session_recheck_s when another process revoked it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import jwt
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.webapp.helpers import ApiClient, LoggedIn, login

ENDED = {"error": "session_ended",
         "detail": "this login has ended (logged out or revoked); log in again"}  # fmt: skip


@pytest.fixture
def recheck_s() -> float:
    """Parametrize this to change auth.session_recheck_s for one test."""
    return 5.0


@pytest.fixture
def settings(settings: Settings, recheck_s: float) -> Settings:
    auth = settings.auth.model_copy(update={"session_recheck_s": recheck_s})
    return settings.model_copy(update={"auth": auth})


async def me(client: ApiClient, access_token: str) -> tuple[int, Any]:
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {access_token}"})
    return response.status, await response.json()


async def refresh(client: ApiClient, refresh_token: str) -> tuple[int, Any]:
    response = await client.post("/api/auth/refresh", json={"refresh_token": refresh_token})
    return response.status, await response.json()


async def test_after_logout_the_access_token_is_refused_at_once(
    client: ApiClient, anna: LoggedIn
) -> None:
    assert (await me(client, anna.access_token))[0] == 200
    response = await client.post("/api/auth/logout", json={"refresh_token": anna.refresh_token})
    assert response.status == 204

    assert await me(client, anna.access_token) == (401, ENDED)
    gallery = await client.get("/api/objects", headers=anna.headers)
    assert (gallery.status, await gallery.json()) == (401, ENDED)


async def test_logout_ends_only_that_login(
    client: ApiClient, sandbox: RunningSandbox, anna: LoggedIn
) -> None:
    second = await login(client, sandbox, user_id=anna.user_id)
    await client.post("/api/auth/logout", json={"refresh_token": anna.refresh_token})

    assert (await me(client, anna.access_token))[0] == 401
    assert (await me(client, second.access_token))[0] == 200


async def test_a_reused_refresh_token_ends_every_access_token_of_the_login(
    client: ApiClient, anna: LoggedIn
) -> None:
    status, pair = await refresh(client, anna.refresh_token)
    assert status == 200
    assert (await me(client, pair["access_token"]))[0] == 200
    # the first refresh token again: someone else holds it, so the whole login is revoked
    status, refused = await refresh(client, anna.refresh_token)
    assert (status, refused["error"]) == (401, "refresh_token_reused")

    assert await me(client, anna.access_token) == (401, ENDED)
    assert await me(client, pair["access_token"]) == (401, ENDED)


async def ended_within(client: ApiClient, access_token: str, bound_s: float) -> float:
    """Seconds until the token is refused, polling; fails past `bound_s` plus a little."""
    started = time.monotonic()
    while (status := (await me(client, access_token))[0]) == 200:
        assert time.monotonic() - started < bound_s + 1.0, "still accepted past the bound"
        await asyncio.sleep(0.1)
    assert status == 401
    return time.monotonic() - started


@pytest.mark.parametrize("recheck_s", [2.0])
async def test_a_login_revoked_by_another_process_ends_within_the_bound(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection, recheck_s: float
) -> None:
    assert (await me(client, anna.access_token))[0] == 200
    # what another replica's logout writes; this process learns it only by reading again
    await db.execute("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1",
                     anna.user_id)  # fmt: skip

    took = await ended_within(client, anna.access_token, recheck_s)
    assert took <= recheck_s + 1.0
    assert await me(client, anna.access_token) == (401, ENDED)


async def test_with_the_default_bound_revocation_elsewhere_lands_within_five_seconds(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection, settings: Settings
) -> None:
    assert settings.auth.session_recheck_s == Settings().auth.session_recheck_s == 5.0
    assert (await me(client, anna.access_token))[0] == 200
    await db.execute("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1",
                     anna.user_id)  # fmt: skip

    assert await ended_within(client, anna.access_token, 5.0) <= 6.0


@pytest.mark.parametrize("recheck_s", [0.0])
async def test_with_no_bound_every_request_reads_the_login(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection
) -> None:
    assert (await me(client, anna.access_token))[0] == 200
    await db.execute("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = $1",
                     anna.user_id)  # fmt: skip

    assert await me(client, anna.access_token) == (401, ENDED)


async def test_an_access_token_without_a_login_claim_asks_for_a_refresh(
    client: ApiClient, anna: LoggedIn, settings: Settings
) -> None:
    """Tokens issued before logins were checked: the client refreshes and carries on."""
    now = datetime.now(UTC)
    claims = {"sub": str(anna.user_id), "iat": int(now.timestamp()), "typ": "access",
              "exp": int((now + timedelta(minutes=5)).timestamp())}  # fmt: skip
    token = jwt.encode(claims, settings.derived_key("jwt"), algorithm="HS256")

    assert await me(client, token) == (
        401, {"error": "token_expired", "detail": "the access token has expired; refresh it"}
    )
    assert (await me(client, jwt.encode({**claims, "sid": "not-a-uuid"},
                                        settings.derived_key("jwt"), algorithm="HS256")))[0] == 401


async def test_what_i_change_i_see_at_once_though_the_login_is_remembered(
    client: ApiClient, anna: LoggedIn
) -> None:
    assert (await me(client, anna.access_token))[1]["privacy"] == "public"
    response = await client.patch("/api/me", json={"privacy": "private"}, headers=anna.headers)
    assert response.status == 200

    assert (await me(client, anna.access_token))[1]["privacy"] == "private"
