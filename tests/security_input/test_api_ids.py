"""Ids that can name nothing answered 400 with {"error", "detail"}, never 500, and nothing
changed: past 64 bits or PostgreSQL's BIGINT, below 1, not digits, strings or floats posing as
ids, versions past an integer, and keys a body does not have. test_api_text.py does the same for
control characters; test_fuzz.py sweeps every field of every route."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.security_input.conftest import Json, World, answer, invalid, snapshot
from tests.webapp.helpers import ApiClient, login

PAST_64_BITS = "99999999999999999999"  # 20 digits
PAST_BIGINT = str(2**63)  # 19 digits, one past PostgreSQL's BIGINT
ID_REFUSED = "an id is a whole number from 1 to 9223372036854775807"


@pytest.mark.parametrize("value", [PAST_64_BITS, PAST_BIGINT, "0", "1" * 5000])
@pytest.mark.parametrize(
    ("method", "template", "name"),
    [
        ("GET", "/api/objects/{}", "object_id"),
        ("PATCH", "/api/objects/{}", "object_id"),
        ("DELETE", "/api/objects/{}", "object_id"),
        ("PUT", "/api/objects/{}/favorite", "object_id"),
        ("GET", "/api/objects/{}/history", "object_id"),
        ("GET", "/api/users/{}", "user_id"),
        ("GET", "/api/trades/{}", "trade_id"),
        ("POST", "/api/trades/{}/decline", "trade_id"),
        ("POST", "/api/profile-requests/{}/approve", "request_id"),
        ("POST", "/api/transfers/{}/accept", "transfer_id"),
    ],
)
async def test_a_path_id_that_can_name_nothing_is_400(
    client: ApiClient, world: World, method: str, template: str, name: str, value: str
) -> None:
    body = {"title": "Renamed"} if method == "PATCH" else None
    response = await client.request(
        method, template.format(value), json=body, headers=world.headers
    )

    assert await answer(response) == (400, invalid(["path", name], ID_REFUSED))


async def test_a_path_id_that_is_not_digits_matches_no_route(
    client: ApiClient, world: World
) -> None:
    for segment in ("-1", "%00", "1e3", "%D9%A3"):  # the last is an Arabic-Indic digit three
        response = await client.get(f"/api/trades/{segment}", headers=world.headers)
        status, body = await answer(response)
        assert (status, body["error"]) in {(404, "not_found"), (400, "invalid")}, segment


@pytest.mark.parametrize("value", [PAST_64_BITS, PAST_BIGINT, "-1", "0", "1_000", " 7", "٣"])
async def test_an_owner_id_in_the_query_must_be_a_bigint_in_digits(
    client: ApiClient, world: World, value: str
) -> None:
    response = await client.get("/api/objects", params={"owner": value}, headers=world.headers)

    assert await answer(response) == (400, invalid(["owner"], f"Value error, {ID_REFUSED}"))


def too_big(loc: list[Any], limit: int = 2**63 - 1) -> Json:
    return invalid(loc, f"Input should be less than or equal to {limit}")


@pytest.mark.parametrize(
    ("path", "body", "refusal"),
    [
        ("/api/trades", {"recipient_id": 2**63, "give": [1]}, too_big(["recipient_id"])),
        ("/api/trades", {"recipient_id": 2, "give": [2**63]}, too_big(["give", 0])),
        ("/api/trades", {"recipient_id": 2, "take": [-5]},
         invalid(["take", 0], "Input should be greater than or equal to 1")),
        ("/api/profile-requests", {"target_id": 2**63}, too_big(["target_id"])),
        ("/api/transfers", {"object_id": 2**63}, too_big(["object_id"])),
        ("/api/transfers", {"object_id": 1, "to_user_id": 2**63}, too_big(["to_user_id"])),
        ("/api/transfers", {"object_id": 0},
         invalid(["object_id"], "Input should be greater than or equal to 1")),
    ],
)
async def test_an_id_past_a_bigint_in_a_body_is_400(
    client: ApiClient, world: World, db: asyncpg.Connection, path: str, body: Json,
    refusal: Json,
) -> None:
    before = await snapshot(db)
    response = await client.post(path, json=body, headers=world.headers)

    assert await answer(response) == (400, refusal)
    assert await snapshot(db) == before


async def test_a_version_past_an_integer_is_400(
    client: ApiClient, world: World, db: asyncpg.Connection
) -> None:
    before = await snapshot(db)
    response = await client.post(
        f"/api/trades/{world.trade['id']}/accept", json={"version": 2**31}, headers=world.headers
    )

    assert await answer(response) == (400, too_big(["version"], 2**31 - 1))
    assert await snapshot(db) == before


@pytest.mark.parametrize(
    ("path", "body", "loc", "msg"),
    [
        ("/api/profile-requests", {"target_id": "12"}, ["target_id"],
         "Input should be a valid integer"),
        ("/api/profile-requests", {"target_id": 12.0}, ["target_id"],
         "Input should be a valid integer"),
        ("/api/profile-requests", {"target_id": True}, ["target_id"],
         "Input should be a valid integer"),
        ("/api/transfers", {"object_id": 1, "replace": "true"}, ["replace"],
         "Input should be a valid boolean"),
        ("/api/trades", {"recipient_id": 2, "give": ["1"]}, ["give", 0],
         "Input should be a valid integer"),
    ],
)
async def test_a_body_is_strict_a_string_is_not_an_id(
    client: ApiClient, world: World, path: str, body: Json, loc: list[Any], msg: str
) -> None:
    response = await client.post(path, json=body, headers=world.headers)

    assert await answer(response) == (400, invalid(loc, msg))


async def test_the_access_request_body_refuses_keys_it_does_not_have(
    client: ApiClient, sandbox: RunningSandbox, world: World, db: asyncpg.Connection
) -> None:
    carol = await login(client, sandbox, first_name="Carol")
    await client.patch("/api/me", json={"privacy": "private"}, headers=carol.headers)
    before = await snapshot(db)
    response = await client.post(
        "/api/profile-requests", json={"target_id": carol.user_id, "note": "let me in"},
        headers=world.headers,
    )  # fmt: skip

    assert await answer(response) == (400, invalid(["note"], "Extra inputs are not permitted"))
    assert await snapshot(db) == before


async def test_a_trade_cursor_of_unicode_digits_is_400(client: ApiClient, world: World) -> None:
    response = await client.get("/api/trades", params={"cursor": "²"}, headers=world.headers)

    assert await answer(response) == (
        400, invalid(["cursor"], "String should match pattern '^[0-9]{1,18}$'")
    )
