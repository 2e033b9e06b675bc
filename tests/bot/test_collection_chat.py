"""/my in pages, /gallery, renaming through a short dialog, and stale buttons."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages
from tests.bot.test_conversation import insert_object

Client = TestClient[web.Request, web.Application]


async def started_user(sandbox: RunningSandbox, name: str = "Bob") -> int:
    user_id: int = (await sandbox.control.create_user(name, language_code="en"))["user"]["user_id"]
    await sandbox.control.start_bot(user_id)
    await wait_for_bot_messages(sandbox.control, user_id)
    return user_id


async def test_my_lists_objects_in_pages_and_the_buttons_turn_them(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    for n in range(1, 13):
        await insert_object(db, user_id, f"Piece {n:02d}")
    await sandbox.control.send_text(user_id, "/my")
    page = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    lines = page["text"].split("\n")
    assert lines[0] == "Your objects (12), page 1 of 2:"
    assert lines[1:] == [f"{n}. «Piece {13 - n:02d}»" for n in range(1, 11)]
    assert [b["text"] for b in buttons(page)][10:] == ["Next ▶", "Open the gallery"]

    await sandbox.control.press_button(user_id, page["mid"], encode("my", 2))
    edited = await wait_for_edit(sandbox, user_id, page["mid"])
    assert edited["text"].split("\n") == [
        "Your objects (12), page 2 of 2:",
        "11. «Piece 02»",
        "12. «Piece 01»",
    ]
    assert [b["text"] for b in buttons(edited)][2:] == ["◀ Back", "Open the gallery"]


async def test_my_with_nothing_yet(client: Client, sandbox: RunningSandbox) -> None:
    user_id = await started_user(sandbox)
    await sandbox.control.send_text(user_id, "/my")
    reply = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    assert reply["text"] == "You have no objects yet. Send a photo and it becomes your first."


async def test_gallery_opens_the_mini_app(client: Client, sandbox: RunningSandbox) -> None:
    user_id = await started_user(sandbox)
    await sandbox.control.send_text(user_id, "/gallery")
    reply = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    assert reply["text"] == "The gallery opens in the mini-app:"
    assert [b["type"] for b in buttons(reply)] == ["open_app"]


async def test_rename_through_a_dialog(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    object_id = await insert_object(db, user_id, "Untitled")
    await sandbox.control.send_text(user_id, "/my")
    page = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    # the card's Rename button, pressed on any message carrying it, starts the dialog
    await sandbox.control.send_text(user_id, "x")  # not in a dialog: not understood
    await wait_for_bot_messages(sandbox.control, user_id, 3)
    await press_rename(sandbox, user_id, page["mid"], object_id)
    prompt = (await wait_for_bot_messages(sandbox.control, user_id, 4))[-1]
    assert prompt["text"] == "Send a new title for «Untitled» (up to 200 characters) or /cancel."
    assert await wait_for_notification(sandbox, user_id) == "Waiting for the new title"
    await sandbox.control.send_text(user_id, "  Harbour at dawn ")
    done = (await wait_for_bot_messages(sandbox.control, user_id, 5))[-1]
    assert done["text"] == "Done: it is now «Harbour at dawn»."
    assert await db.fetchval("SELECT title FROM art_objects WHERE id = $1", object_id) == (
        "Harbour at dawn"
    )
    await sandbox.control.send_text(user_id, "Another title")
    after = (await wait_for_bot_messages(sandbox.control, user_id, 6))[-1]
    assert after["text"] == "I didn't understand that. Send a photo or type /help."


async def test_rename_can_be_cancelled_and_is_for_the_owner_only(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, other = await started_user(sandbox, "Bob"), await started_user(sandbox, "Eve")
    object_id = await insert_object(db, owner, "Keep")
    await sandbox.control.send_text(other, "/help")
    help_message = (await wait_for_bot_messages(sandbox.control, other, 2))[-1]
    await press_rename(sandbox, other, help_message["mid"], object_id)
    assert await wait_for_notification(sandbox, other) == "Only the owner can rename this object."
    assert await db.fetchval("SELECT count(*) FROM bot_dialogs") == 0

    await sandbox.control.send_text(owner, "/cancel")
    assert (await wait_for_bot_messages(sandbox.control, owner, 2))[-1]["text"] == (
        "Nothing to cancel."
    )
    await sandbox.control.send_text(owner, "/my")
    page = (await wait_for_bot_messages(sandbox.control, owner, 3))[-1]
    await press_rename(sandbox, owner, page["mid"], object_id)
    await wait_for_bot_messages(sandbox.control, owner, 4)
    await sandbox.control.send_text(owner, "/cancel")
    assert (await wait_for_bot_messages(sandbox.control, owner, 5))[-1]["text"] == "Cancelled."
    assert await db.fetchval("SELECT title FROM art_objects") == "Keep"


async def test_renaming_what_one_may_not_see_is_told_as_gone_like_a_deleted_object(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, other = await started_user(sandbox, "Bob"), await started_user(sandbox, "Eve")
    hidden = await insert_object(db, owner, "Private")
    await db.execute("UPDATE users SET privacy = 'private' WHERE id = $1", owner)
    await sandbox.control.send_text(other, "/help")
    help_message = (await wait_for_bot_messages(sandbox.control, other, 2))[-1]

    await press_rename(sandbox, other, help_message["mid"], hidden)
    assert await wait_for_notification(sandbox, other) == "This object no longer exists."
    await press_rename(sandbox, other, help_message["mid"], hidden + 1000)
    assert await wait_for_notification(sandbox, other, 2) == "This object no longer exists."
    assert await db.fetchval("SELECT count(*) FROM bot_dialogs") == 0
    assert len(await settle(sandbox.control, other)) == 2


async def test_a_stale_button_says_so_and_changes_nothing(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await started_user(sandbox)
    await sandbox.control.send_text(user_id, "/help")
    message = (await wait_for_bot_messages(sandbox.control, user_id, 2))[-1]
    sandbox_message = sandbox.state.messages[message["mid"]]
    sandbox_message.attachments = [keyboard_with("0|old|1")]
    await sandbox.control.press_button(user_id, message["mid"], "0|old|1")
    assert await wait_for_notification(sandbox, user_id) == "This button is no longer valid."
    assert len(await settle(sandbox.control, user_id)) == 2


async def wait_for_edit(sandbox: RunningSandbox, user_id: int, mid: str) -> dict[str, Any]:
    for _ in range(200):
        events = await sandbox.control.chat_messages(user_id=user_id)
        [message] = [e for e in events if e.get("mid") == mid]
        if message["edited_at"] is not None:
            return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {mid} was never edited")


async def wait_for_notification(sandbox: RunningSandbox, user_id: int, count: int = 1) -> str:
    for _ in range(200):
        events = await sandbox.control.chat_messages(user_id=user_id)
        notes: list[str] = [e["text"] for e in events if e.get("kind") == "notification"]
        if len(notes) >= count:
            return notes[-1]
        await asyncio.sleep(0.05)
    raise AssertionError("no callback notification arrived")


def keyboard_with(payload: str) -> dict[str, object]:
    button = {"type": "callback", "text": "Old", "payload": payload}
    return {"type": "inline_keyboard", "callback_id": "cb-old", "payload": {"buttons": [[button]]}}


async def press_rename(sandbox: RunningSandbox, user_id: int, mid: str, object_id: int) -> None:
    """Press a Rename button; the sandbox needs it on the message, so put it there first."""
    payload = encode("rn", object_id)
    sandbox.state.messages[mid].attachments = [keyboard_with(payload)]
    await sandbox.control.press_button(user_id, mid, payload)
