"""Markup injection, end to end: Mallory's name, titles and messages reach other people's chats
(and her own) as the literal text she typed, never as bold text or a link."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import wait_for_bot_messages
from tests.bot.test_collection_chat import press_rename, wait_for_edit, wait_for_notification
from tests.bot.test_conversation import insert_object
from tests.bot.test_photos_chat import image_of, jpeg
from tests.webapp.helpers import ApiClient, LoggedIn, login

Json = dict[str, Any]
MALLORY = "**MAX Support** [verify](https://evil.example)"
TITLE = "**URGENT** [Verify your account](https://evil.example/phish)"
HTML_TITLE = '<b>Prize</b> <a href="https://evil.example/phish">claim</a> &amp; \u202egpj.exe'


@dataclass(frozen=True)
class Cast:
    mallory: LoggedIn
    alice: LoggedIn
    object_id: int  # Mallory's, made from a photo she sent with TITLE as its caption


async def chat_login(client: ApiClient, sandbox: RunningSandbox, name: str) -> LoggedIn:
    """Someone who started the bot and opened the mini-app; their greeting is message 1."""
    user_id: int = (await sandbox.control.create_user(name, language_code="en"))["user"]["user_id"]
    await sandbox.control.start_bot(user_id)
    await wait_for_bot_messages(sandbox.control, user_id)
    return await login(client, sandbox, first_name=name, language_code="en", user_id=user_id)


async def nth(sandbox: RunningSandbox, who: LoggedIn, count: int) -> Json:
    """The bot's `count`-th message in their chat."""
    return (await wait_for_bot_messages(sandbox.control, who.user_id, count, wait_s=15))[count - 1]


def assert_literal(message: Json, text: str) -> None:
    """Shown exactly as typed, with no formatting at all."""
    assert (message["text"], message["markup"]) == (text, None)


@pytest.fixture
async def cast(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Cast:
    mallory = await chat_login(client, sandbox, MALLORY)
    alice = await chat_login(client, sandbox, "Alice")
    await sandbox.control.send_photos(mallory.user_id, [jpeg(11)], caption=TITLE)
    card = await nth(sandbox, mallory, 2)
    assert_literal(card, f"«{TITLE}» is now your art object.")
    object_id: int = await db.fetchval("SELECT id FROM art_objects WHERE title = $1", TITLE)
    return Cast(mallory, alice, object_id)


async def test_mallory_s_own_chat_shows_her_name_and_titles_as_typed(
    sandbox: RunningSandbox, db: asyncpg.Connection, cast: Cast
) -> None:
    mallory = cast.mallory
    greeting = await nth(sandbox, mallory, 1)
    assert greeting["text"].startswith(f"Hello, {MALLORY}! This is Max Photo Gallery: every")
    prefix = len(f"Hello, {MALLORY}! This is ")
    assert greeting["markup"] == [{"type": "strong", "from": prefix, "length": 17}]

    await sandbox.control.send_text(mallory.user_id, "/my")
    assert_literal(await nth(sandbox, mallory, 3), f"Your objects (1), page 1 of 1:\n1. «{TITLE}»")

    await sandbox.control.send_photos(mallory.user_id, [jpeg(11)], caption="again")
    refusal = await nth(sandbox, mallory, 4)
    assert_literal(refusal, f"Photo not added: it is already in the gallery as «{TITLE}».")

    await press_rename(sandbox, mallory.user_id, refusal["mid"], cast.object_id)
    prompt = await nth(sandbox, mallory, 5)
    assert_literal(prompt, f"Send a new title for «{TITLE}» (up to 200 characters) or /cancel.")
    await sandbox.control.send_text(mallory.user_id, HTML_TITLE)
    done = await nth(sandbox, mallory, 6)
    stored = await db.fetchval("SELECT title FROM art_objects WHERE id = $1", cast.object_id)
    assert stored == HTML_TITLE  # kept as typed; only what a chat shows is made safe
    assert_literal(done, f"Done: it is now «{HTML_TITLE.replace(chr(0x202E), '')}».")


async def test_a_trade_shows_alice_mallory_s_name_title_and_message_as_typed(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, cast: Cast
) -> None:
    alice_object = await insert_object(db, cast.alice.user_id, "Alice 1")
    body = {"recipient_id": cast.alice.user_id, "give": [cast.object_id], "take": [alice_object],
            "message": f"{TITLE}\n# act now\n> {MALLORY}"}  # fmt: skip
    response = await client.post("/api/trades", json=body, headers=cast.mallory.headers)
    assert response.status == 201, await response.text()
    proposed = await nth(sandbox, cast.alice, 2)
    assert_literal(
        proposed,
        f"{MALLORY} offers you a trade.\nYou give: «Alice 1»\nYou get: «{TITLE}»\n\n"
        f"«{TITLE}\n# act now\n> {MALLORY}»",
    )


async def test_a_direct_transfer_push_shows_alice_the_literal_text(
    client: ApiClient, sandbox: RunningSandbox, cast: Cast
) -> None:
    body = {"object_id": cast.object_id, "to_user_id": cast.alice.user_id}
    response = await client.post("/api/transfers", json=body, headers=cast.mallory.headers)
    assert response.status == 201, await response.text()
    push = await nth(sandbox, cast.alice, 2)
    assert_literal(push, f"{MALLORY} wants to hand «{TITLE}» over to you. Accept it?")
    assert image_of(push)["type"] == "image"


async def test_a_profile_request_push_shows_alice_the_literal_name(
    client: ApiClient, sandbox: RunningSandbox, cast: Cast
) -> None:
    made_private = await client.patch(
        "/api/me", json={"privacy": "approved"}, headers=cast.alice.headers
    )
    assert made_private.status == 200, await made_private.text()
    asked = await client.post(
        "/api/profile-requests", json={"target_id": cast.alice.user_id},
        headers=cast.mallory.headers,
    )  # fmt: skip
    assert asked.status == 201, await asked.text()
    push = await nth(sandbox, cast.alice, 2)
    assert_literal(push, f"{MALLORY} asks to see your collection.")
    request_id = (await asked.json())["id"]
    await sandbox.control.press_button(cast.alice.user_id, push["mid"], encode("pa", request_id))
    answered = await wait_for_edit(sandbox, cast.alice.user_id, push["mid"])
    assert_literal(answered, f"You opened your collection to {MALLORY}.")
    toast = await wait_for_notification(sandbox, cast.alice.user_id)
    assert toast == f"You opened your collection to {MALLORY}."


async def test_the_object_card_by_link_shows_alice_the_literal_title_and_owner(
    sandbox: RunningSandbox, cast: Cast
) -> None:
    await sandbox.control.start_bot(cast.alice.user_id, f"o_{cast.object_id}")
    card = await nth(sandbox, cast.alice, 2)
    assert_literal(card, f"«{TITLE}» — owned by {MALLORY}.")
