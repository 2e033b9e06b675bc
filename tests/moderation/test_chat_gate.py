"""A banned person in the chat: nothing they send is processed (messages, photos, buttons) and
one polite message answers a whole burst; after an unban the bot answers again."""

from __future__ import annotations

from typing import Any

import asyncpg

from bot.payloads import encode
from config.settings import Settings
from gallery.moderation.actions import ban_user, unban_user
from sandbox.runner import RunningSandbox
from tests.bot.helpers import settle, wait_for_bot_messages
from tests.bot.test_collection_chat import keyboard_with, started_user
from tests.bot.test_conversation import insert_object
from tests.media.images import encode as encode_image
from tests.media.images import photo
from tests.moderation.conftest import OPERATOR, count
from tests.webapp.helpers import ApiClient

REFUSAL = "Your account is blocked by the moderators, so the bot cannot act on your messages."


async def test_a_banned_person_gets_one_refusal_per_burst_and_nothing_is_processed(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, settings: Settings,
    pool: Any,
) -> None:  # fmt: skip
    user_id = await started_user(sandbox, "Mallory")
    object_id = await insert_object(db, user_id, "Mine")
    async with pool.acquire() as conn:
        await ban_user(conn, settings.moderation, OPERATOR, user_id, "spam")
    told = await wait_for_bot_messages(sandbox.control, user_id, 2)  # the welcome, the ban
    assert "blocked your account" in told[-1]["text"]

    await sandbox.control.send_text(user_id, "/my")
    await sandbox.control.send_text(user_id, "/gallery")
    image = encode_image(photo(7, (64, 48)), "JPEG", quality=90)
    await sandbox.control.send_photos(user_id, [image], caption="more spam")
    welcome = told[0]
    sandbox.state.messages[welcome["mid"]].attachments = [keyboard_with(encode("rn", object_id))]
    await sandbox.control.press_button(user_id, welcome["mid"], encode("rn", object_id))
    after = await settle(sandbox.control, user_id, quiet_s=1.0)
    assert [m["text"] for m in after[len(told) :]] == [REFUSAL]
    assert await count(db, "SELECT count(*) FROM art_objects WHERE owner_id = $1", user_id) == 1
    assert await count(db, "SELECT count(*) FROM bot_dialogs WHERE user_id = $1", user_id) == 0

    async with pool.acquire() as conn:
        await unban_user(conn, settings.moderation, OPERATOR, user_id, "appeal")
    before = len(await wait_for_bot_messages(sandbox.control, user_id, len(after) + 1))
    await sandbox.control.send_text(user_id, "/my")
    answered = await wait_for_bot_messages(sandbox.control, user_id, before + 1)
    assert "Mine" in answered[-1]["text"]
