"""POST /api/auth over real HTTP with the sandbox's launch data: who gets in, who does not."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.webapp.conftest import ApiDocument
from tests.webapp.helpers import ApiClient, count_rows, launch_init_data, login
from tests.webapp.signing import compact, encode, launch_pairs, signed


async def test_login_upserts_the_signed_user_and_opens_a_session(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, api_doc: ApiDocument
) -> None:
    user_id, init_data = await launch_init_data(sandbox, first_name="Ivan", language_code="en",
                                                start_param="obj_7")
    response = await client.post("/api/auth", json={"init_data": init_data})
    body = await response.json()

    assert response.status == 200
    api_doc.check("POST", "/api/auth", 200, body)
    assert body == {
        "access_token": body["access_token"],
        "token_type": "Bearer",
        "expires_in": 900,
        "refresh_token": body["refresh_token"],
        "refresh_expires_in": 30 * 86400,
        "user": {"id": user_id, "first_name": "Ivan", "last_name": None, "username": None,
                 "avatar_url": None, "language": "en", "privacy": "public",
                 "operator": False},
        "start_param": "obj_7",
    }
    user = await db.fetchrow("SELECT first_name, language FROM users WHERE id = $1", user_id)
    assert dict(user or {}) == {"first_name": "Ivan", "language": "en"}
    session = await db.fetchrow("SELECT * FROM auth_sessions")
    assert session is not None
    assert session["user_id"] == user_id
    assert session["token_hash"] == hashlib.sha256(body["refresh_token"].encode()).digest()
    assert session["revoked_at"] is None
    expected_expiry = datetime.now(UTC) + timedelta(days=30)
    assert abs(session["expires_at"] - expected_expiry) < timedelta(minutes=1)


async def test_logging_in_again_updates_the_person_and_opens_a_second_session(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    first = await login(client, sandbox, first_name="Anna")
    sandbox.state.users[first.user_id].first_name = "Anya"
    again = await login(client, sandbox, user_id=first.user_id)

    assert again.body["user"]["first_name"] == "Anya"
    assert await count_rows(db, "users") == 1
    families = await db.fetchval("SELECT count(DISTINCT family) FROM auth_sessions")
    assert families == 2


async def test_the_avatar_and_names_come_from_the_signed_user(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user = {"id": 4242, "first_name": "Olga", "last_name": "K", "username": "olga",
            "language_code": "en-US", "photo_url": "https://i.max.test/olga.jpg"}
    init_data = signed(sandbox.token, launch_pairs(user, int(time.time())))
    response = await client.post("/api/auth", json={"init_data": init_data})

    assert response.status == 200
    assert (await response.json())["user"] == {
        "id": 4242, "first_name": "Olga", "last_name": "K", "username": "olga",
        "avatar_url": "https://i.max.test/olga.jpg", "language": "en", "privacy": "public",
        "operator": False,
    }


def replace_pair(init_data: str, key: str, value: str | None) -> str:
    """`init_data` with `key`'s value replaced, or the pair dropped when `value` is None."""
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    if value is None:
        return encode([(k, v) for k, v in pairs if k != key])
    return encode([(k, value if k == key else v) for k, v in pairs])


def append_pair(init_data: str, key: str, value: str) -> str:
    return init_data + "&" + encode([(key, value)])


def first_hash(init_data: str) -> str:
    return dict(parse_qsl(init_data))["hash"]


Forgery = Callable[[RunningSandbox], Awaitable[str]]


async def valid(sandbox: RunningSandbox) -> str:
    return (await launch_init_data(sandbox))[1]


async def bad_hash(sandbox: RunningSandbox) -> str:
    return replace_pair(await valid(sandbox), "hash", "0" * 64)


async def tampered(sandbox: RunningSandbox) -> str:
    return (await launch_init_data(sandbox, variant="tampered"))[1]


async def duplicate_key(sandbox: RunningSandbox) -> str:
    return append_pair(await valid(sandbox), "query_id", "another")


async def missing_hash(sandbox: RunningSandbox) -> str:
    return replace_pair(await valid(sandbox), "hash", None)


async def two_hashes(sandbox: RunningSandbox) -> str:
    init_data = await valid(sandbox)
    return append_pair(init_data, "hash", first_hash(init_data))


async def stale(sandbox: RunningSandbox) -> str:
    return (await launch_init_data(sandbox, variant="expired"))[1]


async def future(sandbox: RunningSandbox) -> str:
    return (await launch_init_data(sandbox, variant="future"))[1]


async def missing_user(sandbox: RunningSandbox) -> str:
    return signed(sandbox.token, launch_pairs(None, int(time.time())))


async def malformed_user(sandbox: RunningSandbox) -> str:
    return signed(sandbox.token, [("user", '{"id":5,"first_name":'),
                                  ("auth_date", str(int(time.time())))])


async def user_without_integer_id(sandbox: RunningSandbox) -> str:
    user = compact({"id": "5", "first_name": "Eve"})
    return signed(sandbox.token, [("user", user), ("auth_date", str(int(time.time())))])


async def garbage(sandbox: RunningSandbox) -> str:
    # initDataUnsafe as JSON instead of the encoded initData string
    return compact({"user": {"id": 5, "first_name": "Eve"}, "hash": "0" * 64})


REJECTIONS: list[tuple[Forgery, str]] = [
    (bad_hash, "bad_hash"),
    (tampered, "bad_hash"),
    (duplicate_key, "duplicate_key"),
    (missing_hash, "missing_hash"),
    (two_hashes, "duplicate_key"),
    (stale, "stale"),
    (future, "future"),
    (missing_user, "missing_user"),
    (malformed_user, "bad_user"),
    (user_without_integer_id, "bad_user"),
    (garbage, "bad_format"),
]


@pytest.mark.parametrize(("forge", "code"), REJECTIONS, ids=[f.__name__ for f, _ in REJECTIONS])
async def test_launch_data_that_is_refused_writes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, api_doc: ApiDocument,
    forge: Forgery, code: str,
) -> None:
    response = await client.post("/api/auth", json={"init_data": await forge(sandbox)})
    body: dict[str, Any] = await response.json()

    assert response.status == 401
    assert body == {"error": code, "detail": body["detail"]}
    assert isinstance(body["detail"], str)
    assert body["detail"]
    api_doc.check("POST", "/api/auth", 401, body)
    assert await count_rows(db, "users") == 0
    assert await count_rows(db, "auth_sessions") == 0


async def test_launch_data_signed_with_another_bots_token_is_refused(
    client: ApiClient, db: asyncpg.Connection
) -> None:
    user = {"id": 77, "first_name": "Mallory"}
    init_data = signed("some-other-bot-token", launch_pairs(user, int(time.time())))
    response = await client.post("/api/auth", json={"init_data": init_data})

    assert response.status == 401
    assert (await response.json())["error"] == "bad_hash"
    assert await count_rows(db, "users") == 0
