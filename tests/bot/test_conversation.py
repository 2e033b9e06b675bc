"""The first conversation, end to end: a sandbox user → MAX webhook → the app → outbox → MAX."""

from __future__ import annotations

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages

Client = TestClient[web.Request, web.Application]


async def test_start_greets_in_russian_with_a_mini_app_button(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    created = await sandbox.control.create_user("Анна", language_code="ru")
    user = created["user"]
    await sandbox.control.send_text(user["user_id"], "/start")
    [greeting] = await wait_for_bot_messages(sandbox.control, user["user_id"])
    assert greeting["text"].startswith("Здравствуйте, Анна! Это Max Photo Gallery: каждое")
    assert greeting["markup"] == [{"type": "strong", "from": 24, "length": 17}]
    assert greeting["format"] == "html"
    assert buttons(greeting) == [
        {
            "type": "open_app",
            "text": "Открыть галерею",
            "web_app": sandbox.state.config.bot_username,
            "contact_id": sandbox.state.config.bot_user_id,
        }
    ]
    row = await db.fetchrow("SELECT first_name, language, dialog_chat_id FROM users")
    assert row is not None
    assert dict(row) == {
        "first_name": "Анна",
        "language": "ru",
        "dialog_chat_id": created["chat_id"],
    }


async def test_start_greets_in_english(client: Client, sandbox: RunningSandbox) -> None:
    user = (await sandbox.control.create_user("Bob", language_code="en"))["user"]
    await sandbox.control.send_text(user["user_id"], "/start")
    [greeting] = await wait_for_bot_messages(sandbox.control, user["user_id"])
    assert greeting["text"].startswith("Hello, Bob! This is Max Photo Gallery: every")
    assert greeting["markup"] == [{"type": "strong", "from": 20, "length": 17}]
    assert [b["text"] for b in buttons(greeting)] == ["Open the gallery"]


async def test_help_lists_what_the_bot_does(client: Client, sandbox: RunningSandbox) -> None:
    user = (await sandbox.control.create_user("Bob", language_code="en"))["user"]
    await sandbox.control.send_text(user["user_id"], "/help")
    [reply] = await wait_for_bot_messages(sandbox.control, user["user_id"])
    assert reply["text"].startswith("What I can do:")
    assert "/my" in reply["text"]


async def test_anything_else_gets_a_friendly_answer(
    client: Client, sandbox: RunningSandbox
) -> None:
    user = (await sandbox.control.create_user("Bob", language_code="en"))["user"]
    await sandbox.control.send_text(user["user_id"], "what is this?")
    [reply] = await wait_for_bot_messages(sandbox.control, user["user_id"])
    assert reply["text"] == "I didn't understand that. Send a photo or type /help."


async def test_bot_started_without_payload_greets(client: Client, sandbox: RunningSandbox) -> None:
    user = (await sandbox.control.create_user("Анна"))["user"]
    await sandbox.control.start_bot(user["user_id"])
    [greeting] = await wait_for_bot_messages(sandbox.control, user["user_id"])
    assert greeting["text"].startswith("Здравствуйте, Анна!")


async def test_bot_started_with_an_object_link_shows_the_object(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner = (await sandbox.control.create_user("Bob", language_code="en"))["user"]
    visitor = (await sandbox.control.create_user("Eve", language_code="en"))["user"]
    await sandbox.control.start_bot(owner["user_id"])
    await wait_for_bot_messages(sandbox.control, owner["user_id"])
    object_id = await insert_object(db, owner["user_id"], "Harbour at dawn")
    await sandbox.control.start_bot(visitor["user_id"], f"o_{object_id}")
    [card] = await wait_for_bot_messages(sandbox.control, visitor["user_id"])
    assert card["text"] == "«Harbour at dawn» — owned by Bob."
    open_button, share, report = buttons(card)
    assert (open_button["type"], open_button["payload"]) == ("open_app", f"o_{object_id}")
    assert (share["text"], share["payload"]) == ("Share", encode("sh", object_id))
    assert (report["type"], report["text"]) == ("callback", "Report")  # anyone but the owner


async def test_bot_started_with_a_profile_link_shows_the_collection(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner = (await sandbox.control.create_user("Bob", language_code="en"))["user"]
    visitor = (await sandbox.control.create_user("Eve", language_code="en"))["user"]
    await sandbox.control.start_bot(owner["user_id"])
    await wait_for_bot_messages(sandbox.control, owner["user_id"])
    await insert_object(db, owner["user_id"], "One")
    await sandbox.control.start_bot(visitor["user_id"], f"u_{owner['user_id']}")
    [card] = await wait_for_bot_messages(sandbox.control, visitor["user_id"])
    assert card["text"] == "Bob's collection: 1 owned, 1 created."
    assert buttons(card)[0]["payload"] == f"u_{owner['user_id']}"


async def test_bot_started_with_a_dead_link_says_so(
    client: Client, sandbox: RunningSandbox
) -> None:
    user = (await sandbox.control.create_user("Eve", language_code="en"))["user"]
    for payload in ("o_999999", "u_42", "o_abc", "o_" + "9" * 30):
        await sandbox.control.start_bot(user["user_id"], payload)
    replies = await wait_for_bot_messages(sandbox.control, user["user_id"], 4)
    unavailable = (  # an id that could be an object's: the one answer for any refusal (tests/cards)
        "This object can't be shown: its collection is private, or the link is wrong. "
        "You can ask its owner for access."
    )
    invalid = "This link is not valid or has expired."
    assert [r["text"] for r in replies] == [unavailable, invalid, invalid, invalid]


async def test_bot_started_with_an_unknown_payload_greets(
    client: Client, sandbox: RunningSandbox
) -> None:
    user = (await sandbox.control.create_user("Eve", language_code="en"))["user"]
    await sandbox.control.start_bot(user["user_id"], "campaign_autumn")
    [greeting] = await wait_for_bot_messages(sandbox.control, user["user_id"])
    assert greeting["text"].startswith("Hello, Eve!")
    assert len(await settle(sandbox.control, user["user_id"])) == 1


async def insert_object(db: asyncpg.Connection, owner: int, title: str) -> int:
    photo = await db.fetchval(
        """INSERT INTO photos (sha256, dhash, width, height, format, byte_size,
                               original_key, preview_key, thumb_key, uploaded_by)
           VALUES (md5(random()::text) || md5(random()::text), 0, 10, 10, 'jpeg', 1,
                   'o', 'p', 't', $1) RETURNING id""",
        owner,
    )
    object_id: int = await db.fetchval(
        "INSERT INTO art_objects (photo_id, title, creator_id, owner_id) "
        "VALUES ($1, $2, $3, $3) RETURNING id",
        photo,
        title,
        owner,
    )
    return object_id
