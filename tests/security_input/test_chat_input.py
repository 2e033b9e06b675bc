"""Hostile input in the chat gets a polite refusal, never the error handler's apology: ids past
64 bits in start links and button payloads, a NUL in a caption or a new title."""

from __future__ import annotations

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import settle, wait_for_bot_messages
from tests.bot.test_collection_chat import press_rename, started_user
from tests.bot.test_conversation import insert_object
from tests.media.images import encode as encode_image
from tests.media.images import photo

Client = TestClient[web.Request, web.Application]
APOLOGY = "Something went wrong on our side. We're looking into it; please try again later."
CONTROL_REFUSED = "control characters such as U+0000 are not allowed (newlines and tabs are)"
PAST_BIGINT = str(2**63)  # 19 digits: passes a length check, not PostgreSQL's BIGINT


async def last_reply(sandbox: RunningSandbox, user_id: int, count: int) -> str:
    text: str = (await wait_for_bot_messages(sandbox.control, user_id, count))[-1]["text"]
    return text


@pytest.mark.parametrize(
    "payload", [f"o_{PAST_BIGINT}", "o_99999999999999999999", "o_0"]
)
async def test_a_start_link_with_an_id_no_row_can_have_says_the_link_is_invalid(
    client: Client, sandbox: RunningSandbox, payload: str
) -> None:
    user_id: int = (await sandbox.control.create_user("Eve", language_code="en"))["user"]["user_id"]
    await sandbox.control.start_bot(user_id, payload)

    assert await last_reply(sandbox, user_id, 1) == "This link is not valid or has expired."


@pytest.mark.parametrize(
    "payload", [f"u_{PAST_BIGINT}", "u_99999999999999999999"]
)
async def test_a_profile_link_past_a_bigint_is_not_an_apology(
    client: Client, sandbox: RunningSandbox, payload: str
) -> None:
    user_id: int = (await sandbox.control.create_user("Eve", language_code="en"))["user"]["user_id"]
    await sandbox.control.start_bot(user_id, payload)

    replies = [m["text"] for m in await settle(sandbox.control, user_id)]
    assert replies
    assert APOLOGY not in replies


@pytest.mark.parametrize(
    "payload", [encode("my", PAST_BIGINT), encode("rn", PAST_BIGINT)]
)
async def test_a_button_payload_past_a_bigint_is_not_an_apology(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection, payload: str
) -> None:
    user_id = await started_user(sandbox)
    await insert_object(db, user_id, "Mine")
    await sandbox.control.send_text(user_id, "/my")
    page = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    sandbox.state.messages[page["mid"]].attachments = [{
        "type": "inline_keyboard", "callback_id": "cb-x",
        "payload": {"buttons": [[{"type": "callback", "text": "x", "payload": payload}]]},
    }]  # fmt: skip
    await sandbox.control.press_button(user_id, page["mid"], payload)

    replies = [m["text"] for m in await settle(sandbox.control, user_id)]
    assert APOLOGY not in replies


async def test_a_caption_with_a_nul_is_refused_politely_and_stores_nothing(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    image = encode_image(photo(21), "JPEG")
    await sandbox.control.send_photos(user_id, [image], caption="Dusk\x00")

    reply = await last_reply(sandbox, user_id, 2)
    assert APOLOGY not in reply
    assert CONTROL_REFUSED in reply
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0


async def test_a_new_title_with_a_nul_is_refused_and_the_dialog_keeps_waiting(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    object_id = await insert_object(db, user_id, "Untitled")
    await sandbox.control.send_text(user_id, "/my")
    page = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    await press_rename(sandbox, user_id, page["mid"], object_id)
    await wait_for_bot_messages(sandbox.control, user_id, 3)
    await sandbox.control.send_text(user_id, "Night\x00")

    assert await last_reply(sandbox, user_id, 4) == CONTROL_REFUSED
    await sandbox.control.send_text(user_id, "Night")
    assert await last_reply(sandbox, user_id, 5) == "Done: it is now «Night»."


async def test_a_name_with_a_nul_from_max_is_cleaned_not_an_apology(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    created = await sandbox.control.create_user("Eve\x00\n Smith", language_code="en")
    user_id = int(created["user"]["user_id"])
    await sandbox.control.start_bot(user_id)
    [greeting] = await wait_for_bot_messages(sandbox.control, user_id)
    assert greeting["text"].startswith("Hello, Eve Smith!")
    assert await db.fetchval("SELECT first_name FROM users WHERE id = $1", user_id) == "Eve Smith"
