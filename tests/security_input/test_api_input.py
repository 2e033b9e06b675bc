"""Hostile input answered 400 with {"error", "detail"}, never 500, and nothing changed: NUL and
other control characters in text, ids past 64 bits (or below 1), strings posing as ids, keys a
body does not have. One test per way in; test_fuzz.py sweeps every field of every route."""

from __future__ import annotations

import time
from typing import Any

import aiohttp
import asyncpg
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.media.images import encode, photo
from tests.security_input.conftest import World, snapshot
from tests.webapp.helpers import ApiClient, count_rows, login
from tests.webapp.signing import launch_pairs, signed

Json = dict[str, Any]
PAST_64_BITS = "99999999999999999999"  # 20 digits
PAST_BIGINT = str(2**63)  # 19 digits, one past PostgreSQL's BIGINT
CONTROL_REFUSED = (
    "Value error, control characters such as {} are not allowed (newlines and tabs are)"
)
ID_REFUSED = "an id is a whole number from 1 to 9223372036854775807"


def invalid(loc: list[Any], msg: str) -> Json:
    return {"error": "invalid", "detail": [{"loc": loc, "msg": msg}]}


async def answer(response: aiohttp.ClientResponse) -> tuple[int, Json]:
    return response.status, await response.json()


async def title_of(db: asyncpg.Connection, object_id: int) -> tuple[str, str]:
    row = await db.fetchrow("SELECT title, description FROM art_objects WHERE id = $1", object_id)
    assert row is not None
    return row["title"], row["description"]


@pytest.mark.parametrize("field", ["title", "description"])
@pytest.mark.parametrize(("text", "shown"), [("Harbour\x00", "U+0000"), ("\x1b[31mred", "U+001B")])
async def test_a_control_character_in_an_edit_is_refused_and_changes_nothing(
    client: ApiClient, world: World, db: asyncpg.Connection, field: str, text: str, shown: str
) -> None:
    object_id = world.alice_objects[0]
    response = await client.patch(
        f"/api/objects/{object_id}", json={field: text}, headers=world.headers
    )

    assert await answer(response) == (400, invalid([field], CONTROL_REFUSED.format(shown)))
    assert await title_of(db, object_id) == ("Alice 1", "")


async def test_newlines_tabs_and_crlf_are_people_s_text_and_pass(
    client: ApiClient, world: World, db: asyncpg.Connection
) -> None:
    object_id = world.alice_objects[0]
    text = "First line\r\n\tindented\nlast"
    response = await client.patch(
        f"/api/objects/{object_id}", json={"description": text}, headers=world.headers
    )

    assert response.status == 200
    assert await title_of(db, object_id) == ("Alice 1", text)


@pytest.mark.parametrize("field", ["title", "description"])
async def test_an_upload_with_a_nul_in_its_text_is_refused_before_anything_is_stored(
    client: ApiClient, world: World, db: asyncpg.Connection, settings: Settings, field: str
) -> None:
    form = aiohttp.FormData()
    form.add_field("file", encode(photo(7), "JPEG"), filename="p.jpg", content_type="image/jpeg")
    form.add_field(field, "Sunset\x00")
    before = await count_rows(db, "photos")
    response = await client.post("/api/photos", data=form, headers=world.headers)

    assert await answer(response) == (400, {
        "error": f"invalid_{field}",
        "detail": "control characters such as U+0000 are not allowed (newlines and tabs are)",
    })  # fmt: skip
    assert await count_rows(db, "photos") == before
    assert not settings.media.root.exists() or not any(settings.media.root.rglob("*.*"))


async def test_a_nul_in_a_trade_message_is_refused(
    client: ApiClient, world: World, db: asyncpg.Connection
) -> None:
    before = await snapshot(db)
    body = {"recipient_id": world.bob.user_id, "give": [world.alice_objects[1]],
            "take": [world.bob_objects[0]], "message": "hi\x00"}  # fmt: skip
    response = await client.post("/api/trades", json=body, headers=world.headers)

    assert await answer(response) == (400, invalid(["message"], CONTROL_REFUSED.format("U+0000")))
    assert await snapshot(db) == before


@pytest.mark.parametrize("query", ["q=%00", "q=sun%00set", "cursor=%00"])
async def test_a_nul_in_a_search_or_cursor_is_refused(
    client: ApiClient, world: World, query: str
) -> None:
    response = await client.get(f"/api/objects?{query}", headers=world.headers)

    field = query.split("=")[0]
    assert await answer(response) == (400, invalid([field], CONTROL_REFUSED.format("U+0000")))


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


async def test_launch_data_whose_name_carries_a_nul_logs_in_with_the_name_cleaned(
    client: ApiClient, settings: Settings
) -> None:
    """A name is signed by MAX, not typed here: it is made storable, as the bot does, rather
    than locking the person out."""
    user = {"id": 4242, "first_name": "Eve\x00 \x1b[2J\n Smith", "language_code": "en"}
    init_data = signed(settings.bot_token, launch_pairs(user, int(time.time())))
    response = await client.post("/api/auth", json={"init_data": init_data})

    assert response.status == 200
    assert (await response.json())["user"]["first_name"] == "Eve [2J Smith"


async def test_launch_data_whose_language_carries_a_nul_is_refused(
    client: ApiClient, settings: Settings
) -> None:
    user = {"id": 4242, "first_name": "Eve", "language_code": "en\x00"}
    init_data = signed(settings.bot_token, launch_pairs(user, int(time.time())))
    response = await client.post("/api/auth", json={"init_data": init_data})

    assert await answer(response) == (401, {
        "error": "bad_user",
        "detail": "user is not a JSON object with an integer id and printable names",
    })  # fmt: skip
