"""Control characters in people's text answered 400 with {"error", "detail"}, never 500, and
nothing changed: edits, uploads, trade messages, searches and cursors, launch data. Newlines and
tabs are text. test_api_ids.py does the same for ids; test_fuzz.py sweeps every field of every
route."""

from __future__ import annotations

import time

import aiohttp
import asyncpg
import pytest

from config.settings import Settings
from tests.media.images import encode, photo
from tests.security_input.conftest import World, answer, invalid, snapshot
from tests.webapp.helpers import ApiClient, count_rows
from tests.webapp.signing import launch_pairs, signed

CONTROL_REFUSED = (
    "Value error, control characters such as {} are not allowed (newlines and tabs are)"
)


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
    files = set(settings.media.root.rglob("*.*"))  # the world's own uploads
    response = await client.post("/api/photos", data=form, headers=world.headers)

    assert await answer(response) == (400, {
        "error": f"invalid_{field}",
        "detail": "control characters such as U+0000 are not allowed (newlines and tabs are)",
    })  # fmt: skip
    assert await count_rows(db, "photos") == before
    assert set(settings.media.root.rglob("*.*")) == files


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
