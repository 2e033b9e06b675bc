"""The sandbox chat as the moderation tests drive it: the operator, cards, presses, reports."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.payloads import encode
from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import keyboard_with, wait_for_edit

Json = dict[str, Any]
OPERATOR = 770_001
TITLE = "<b>Sea</b> & sky"


def with_operator(settings: Settings) -> Settings:
    moderation = settings.moderation.model_copy(update={"operators": (OPERATOR,)})
    return settings.model_copy(update={"moderation": moderation})


async def operator_started(sandbox: RunningSandbox) -> int:
    await sandbox.control.create_user("Oper", user_id=OPERATOR, language_code="en")
    await sandbox.control.start_bot(OPERATOR)
    await wait_for_bot_messages(sandbox.control, OPERATOR)
    return OPERATOR


async def last(sandbox: RunningSandbox, user_id: int, count: int) -> Json:
    return (await wait_for_bot_messages(sandbox.control, user_id, count, wait_s=15))[-1]


async def press(sandbox: RunningSandbox, user_id: int, message: Json, payload: str) -> None:
    """The sandbox presses only buttons a message holds: put a forged or spent one there."""
    if payload not in [b.get("payload") for b in buttons(message)]:
        sandbox.state.messages[message["mid"]].attachments = [keyboard_with(payload)]
    await sandbox.control.press_button(user_id, message["mid"], payload)


async def wait_for_change(sandbox: RunningSandbox, user_id: int, seen: Json) -> Json:
    """The message once an edit changed its text from what `seen` shows."""
    for _ in range(200):
        events = await sandbox.control.chat_messages(user_id=user_id)
        [message] = [e for e in events if e.get("mid") == seen["mid"]]
        if message["text"] != seen["text"]:
            return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {seen['mid']} was not edited again")


def labels(message: Json) -> list[str]:
    return [b["text"] for b in buttons(message)]


async def card(sandbox: RunningSandbox, user_id: int, object_id: int, count: int) -> Json:
    await sandbox.control.start_bot(user_id, f"o_{object_id}")
    return await last(sandbox, user_id, count)


async def reported(sandbox: RunningSandbox, user_id: int, object_id: int, kind: str) -> Json:
    """Report from the card (the user's second message): the reason message, once answered."""
    shown = await card(sandbox, user_id, object_id, 2)
    await press(sandbox, user_id, shown, encode("rp", object_id))
    ask = await last(sandbox, user_id, 3)
    await press(sandbox, user_id, ask, encode("rk", object_id, kind))
    return await wait_for_edit(sandbox, user_id, ask["mid"])
