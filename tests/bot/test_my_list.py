"""/my lists a person's objects with a button per object that opens it in the mini-app (the
`o_<id>` start param, as the object's deep link), ten to a page with Back/Next, titles escaped in
the message and plain in the buttons (MAX never formats a button label)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import keyboard_with, started_user, wait_for_edit
from tests.bot.test_conversation import insert_object

Client = TestClient[web.Request, web.Application]
HOSTILE = "<b>x</b> & **y** [verify](https://evil.example) </b>"


def object_buttons(message: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(b["text"], b.get("payload")) for b in buttons(message) if b["type"] == "open_app"]


async def my_list(sandbox: RunningSandbox, user_id: int, count: int) -> dict[str, Any]:
    await sandbox.control.send_text(user_id, "/my")
    return (await wait_for_bot_messages(sandbox.control, user_id, count))[-1]


async def test_every_object_has_a_button_opening_it_and_many_are_paged(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    ids = [await insert_object(db, user_id, f"Piece {n:02d}") for n in range(1, 24)]
    newest_first = ids[::-1]
    page = await my_list(sandbox, user_id, 2)
    assert page["text"].split("\n")[0] == "Your objects (23), page 1 of 3:"
    assert object_buttons(page) == [
        (f"{n}. Piece {24 - n:02d}", f"o_{newest_first[n - 1]}") for n in range(1, 11)
    ] + [("Open the gallery", None)]
    assert [row_types(row) for row in page["keyboard"]] == [["open_app"]] * 10 + [
        ["callback"],
        ["open_app"],
    ]
    assert [b["text"] for b in buttons(page)][-2:] == ["Next ▶", "Open the gallery"]

    launch = await sandbox.control.press_button(user_id, page["mid"], f"o_{newest_first[3]}")
    assert launch["start_param"] == f"o_{newest_first[3]}"
    signed = parse_qs(str(launch["init_data"]))
    assert signed["start_param"] == [f"o_{newest_first[3]}"]
    assert "hash" in signed

    await sandbox.control.press_button(user_id, page["mid"], encode("my", 2))
    second = await wait_for_edit(sandbox, user_id, page["mid"])
    assert second["text"].split("\n")[0] == "Your objects (23), page 2 of 3:"
    assert object_buttons(second)[:10] == [
        (f"{n}. Piece {24 - n:02d}", f"o_{newest_first[n - 1]}") for n in range(11, 21)
    ]
    assert [b["text"] for b in buttons(second)][-3:] == ["◀ Back", "Next ▶", "Open the gallery"]


async def test_the_last_page_and_a_page_past_the_end(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    ids = [await insert_object(db, user_id, f"Piece {n:02d}") for n in range(1, 24)]
    page = await my_list(sandbox, user_id, 2)
    # an old or forged page number lands on the last page that exists
    forged = encode("my", 99)
    sandbox.state.messages[page["mid"]].attachments = [keyboard_with(forged)]
    await sandbox.control.press_button(user_id, page["mid"], forged)
    last = await wait_for_edit(sandbox, user_id, page["mid"])
    assert last["text"].split("\n") == [
        "Your objects (23), page 3 of 3:",
        "21. «Piece 03»",
        "22. «Piece 02»",
        "23. «Piece 01»",
    ]
    assert object_buttons(last) == [
        ("21. Piece 03", f"o_{ids[2]}"),
        ("22. Piece 02", f"o_{ids[1]}"),
        ("23. Piece 01", f"o_{ids[0]}"),
        ("Open the gallery", None),
    ]
    assert [b["text"] for b in buttons(last)][-2:] == ["◀ Back", "Open the gallery"]


async def test_titles_are_escaped_in_the_message_and_as_typed_on_the_buttons(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    hostile = await insert_object(db, user_id, HOSTILE)
    long_title = "Harbour " * 20
    long = await insert_object(db, user_id, long_title.strip())
    page = await my_list(sandbox, user_id, 2)
    assert page["format"] == "html"
    assert page["text"].split("\n") == [
        "Your objects (2), page 1 of 1:",
        f"1. «{long_title.strip()}»",
        f"2. «{HOSTILE}»",
    ]
    assert page["markup"] in (None, [])  # no bold, no link: the title's tags stayed text
    shortened = f"1. {long_title}"[:63].rstrip() + "…"
    assert object_buttons(page) == [
        (shortened, f"o_{long}"),
        (f"2. {HOSTILE}", f"o_{hostile}"),
        ("Open the gallery", None),
    ]
    assert len(shortened) <= 64


async def test_a_person_sees_only_their_own_objects(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    bob, eve = await started_user(sandbox, "Bob"), await started_user(sandbox, "Eve")
    await insert_object(db, bob, "Bob's secret")
    mine = await insert_object(db, eve, "Eve's own")
    page = await my_list(sandbox, eve, 2)
    assert page["text"].split("\n") == ["Your objects (1), page 1 of 1:", "1. «Eve's own»"]
    assert object_buttons(page) == [("1. Eve's own", f"o_{mine}"), ("Open the gallery", None)]


def row_types(row: list[dict[str, Any]]) -> list[str]:
    return [str(b["type"]) for b in row]
