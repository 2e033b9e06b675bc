"""Access tokens on /api/me, refresh rotation with theft detection, logout, the refresh race."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import jwt
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.webapp.conftest import ApiDocument
from tests.webapp.helpers import ApiClient, LoggedIn, login
from webapp.tokens import issue_access_token, refresh_token_hash


async def post_refresh(client: ApiClient, refresh_token: str) -> tuple[int, dict[str, Any]]:
    response = await client.post("/api/auth/refresh", json={"refresh_token": refresh_token})
    return response.status, await response.json()


async def refused_code(client: ApiClient, refresh_token: str) -> str:
    status, body = await post_refresh(client, refresh_token)
    assert status == 401, body
    code: str = body["error"]
    return code


async def me_status(client: ApiClient, access_token: str) -> int:
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {access_token}"})
    return response.status


async def test_me_answers_the_logged_in_person(
    client: ApiClient, sandbox: RunningSandbox, api_doc: ApiDocument
) -> None:
    anna = await login(client, sandbox, first_name="Anna", language_code="ru")
    response = await client.get("/api/me", headers=anna.headers)
    body = await response.json()

    assert response.status == 200
    api_doc.check("GET", "/api/me", 200, body)
    assert body == {"id": anna.user_id, "first_name": "Anna", "last_name": None,
                    "username": None, "avatar_url": None, "language": "ru", "privacy": "public",
                    "operator": False}


async def test_an_expired_access_token_says_token_expired(
    client: ApiClient, anna: LoggedIn, settings: Settings, api_doc: ApiDocument
) -> None:
    issued = datetime.now(UTC) - timedelta(seconds=settings.auth.access_ttl_s + 5)
    token = issue_access_token(anna.user_id, key=settings.derived_key("jwt"),
                               ttl_s=settings.auth.access_ttl_s, now=issued, session=uuid4())
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    body = await response.json()

    assert response.status == 401
    assert body == {"error": "token_expired", "detail": "the access token has expired; refresh it"}
    api_doc.check("GET", "/api/me", 401, body)


def forged_tokens(user_id: int, settings: Settings) -> dict[str, str]:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": int(now.timestamp()),
              "exp": int((now + timedelta(minutes=5)).timestamp()), "typ": "access"}
    key = settings.derived_key("jwt")
    return {
        "other key": jwt.encode(claims, b"not-our-key-" * 3, algorithm="HS256"),
        "not access": jwt.encode({**claims, "typ": "refresh"}, key, algorithm="HS256"),
        "no typ": jwt.encode({k: v for k, v in claims.items() if k != "typ"}, key,
                             algorithm="HS256"),
        "unknown user": jwt.encode({**claims, "sub": "999", "sid": str(uuid4())}, key,
                                   algorithm="HS256"),
        "sub not a number": jwt.encode({**claims, "sub": "anna"}, key, algorithm="HS256"),
        "alg none": jwt.encode(claims, None, algorithm="none"),
        "garbage": "not.a.jwt",
    }


@pytest.mark.parametrize("case", ["other key", "not access", "no typ", "unknown user",
                                  "sub not a number", "alg none", "garbage"])
async def test_an_access_token_we_did_not_issue_is_refused(
    client: ApiClient, anna: LoggedIn, settings: Settings, case: str
) -> None:
    token = forged_tokens(anna.user_id, settings)[case]
    response = await client.get("/api/me", headers={"Authorization": f"Bearer {token}"})

    assert response.status == 401
    assert (await response.json())["error"] == "unauthorized"


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic YW5uYTpwdw==", "Token x"])
async def test_without_a_bearer_token_me_is_refused(
    client: ApiClient, anna: LoggedIn, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = await client.get("/api/me", headers=headers)
    body = await response.json()

    assert response.status == 401
    assert body == {"error": "unauthorized", "detail": body["detail"]}


async def test_refresh_rotates_and_the_old_token_is_refused_and_revokes_the_new_one(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection, api_doc: ApiDocument
) -> None:
    status, pair = await post_refresh(client, anna.refresh_token)
    assert status == 200
    api_doc.check("POST", "/api/auth/refresh", 200, pair)
    assert pair == {"access_token": pair["access_token"], "token_type": "Bearer",
                    "expires_in": 900, "refresh_token": pair["refresh_token"],
                    "refresh_expires_in": 30 * 86400}
    assert pair["refresh_token"] != anna.refresh_token
    assert await me_status(client, pair["access_token"]) == 200

    rows = await db.fetch("SELECT * FROM auth_sessions ORDER BY id")
    assert [r["token_hash"] for r in rows] == [refresh_token_hash(anna.refresh_token),
                                               refresh_token_hash(pair["refresh_token"])]
    assert rows[0]["replaced_by"] == rows[1]["id"]
    assert rows[0]["revoked_at"] is not None
    assert rows[1]["revoked_at"] is None
    assert rows[0]["family"] == rows[1]["family"]

    # the old token again: someone else holds it, so the whole login ends
    status, body = await post_refresh(client, anna.refresh_token)
    assert (status, body["error"]) == (401, "refresh_token_reused")
    api_doc.check("POST", "/api/auth/refresh", 401, body)
    assert await refused_code(client, pair["refresh_token"]) == "refresh_token_revoked"
    assert await db.fetchval("SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL") == 0


async def test_a_chain_of_rotations_stays_one_family(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection
) -> None:
    token = anna.refresh_token
    for _ in range(3):
        status, pair = await post_refresh(client, token)
        assert status == 200
        token = pair["refresh_token"]

    assert await db.fetchval("SELECT count(DISTINCT family) FROM auth_sessions") == 1
    assert await db.fetchval("SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL") == 1


async def test_an_unknown_refresh_token_is_refused(client: ApiClient, anna: LoggedIn) -> None:
    assert await refused_code(client, anna.refresh_token + "x") == "invalid_refresh_token"


async def test_an_expired_refresh_token_is_refused(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection
) -> None:
    await db.execute("UPDATE auth_sessions SET expires_at = now() - interval '1 second'")
    assert await refused_code(client, anna.refresh_token) == "refresh_token_expired"


async def test_logout_ends_every_token_of_that_login_only(
    client: ApiClient, sandbox: RunningSandbox, anna: LoggedIn, db: asyncpg.Connection
) -> None:
    other_device = await login(client, sandbox, user_id=anna.user_id)
    status, pair = await post_refresh(client, anna.refresh_token)
    assert status == 200

    response = await client.post("/api/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert response.status == 204
    assert await response.read() == b""

    assert await refused_code(client, pair["refresh_token"]) == "refresh_token_revoked"
    assert await refused_code(client, anna.refresh_token) == "refresh_token_reused"
    status, _ = await post_refresh(client, other_device.refresh_token)
    assert status == 200


async def test_logout_with_an_unknown_token_changes_nothing(
    client: ApiClient, anna: LoggedIn
) -> None:
    response = await client.post("/api/auth/logout", json={"refresh_token": "unknown"})
    assert response.status == 204
    status, _ = await post_refresh(client, anna.refresh_token)
    assert status == 200


async def test_concurrent_refreshes_with_one_token_have_one_winner(
    client: ApiClient, anna: LoggedIn, db: asyncpg.Connection
) -> None:
    results = await asyncio.gather(*(post_refresh(client, anna.refresh_token) for _ in range(8)))

    winners = [body for status, body in results if status == 200]
    losers = sorted(body["error"] for status, body in results if status != 200)
    assert len(winners) == 1
    assert losers == ["refresh_token_reused"] * 7
    assert await db.fetchval("SELECT count(*) FROM auth_sessions") == 2
    # the losers are reuses of a rotated token, so the winner's successor is revoked as well
    assert await refused_code(client, winners[0]["refresh_token"]) == "refresh_token_revoked"
