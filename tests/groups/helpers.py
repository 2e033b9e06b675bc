"""Playing a group chat through the sandbox: people, a group with the bot, what the bot says."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sandbox.control import SandboxControl
from sandbox.runner import RunningSandbox
from tests.bot.helpers import wait_for_bot_messages
from tests.media.images import encode as encode_image
from tests.media.images import photo

JsonDict = dict[str, Any]
BOT = "gallery_sandbox_bot"


def jpeg(seed: int) -> bytes:
    return encode_image(photo(seed, (640, 480)), "JPEG", quality=90)


async def person(sandbox: RunningSandbox, name: str, *, started: bool = True) -> int:
    """A sandbox user; `started` ones have opened their personal chat with the bot."""
    control = sandbox.control
    user_id: int = (await control.create_user(name, language_code="en"))["user"]["user_id"]
    if started:
        await control.start_bot(user_id)
        await wait_for_bot_messages(control, user_id)
    return user_id


async def group_with_bot(sandbox: RunningSandbox, owner: int, *members: int) -> int:
    """A group the owner adds the bot to; returns once the bot has said hello there."""
    created = await sandbox.control.create_group("Photo club", owner, list(members),
                                                 with_bot=True)  # fmt: skip
    chat_id: int = created["chat"]["chat_id"]
    await wait_for_group_messages(sandbox.control, chat_id, 1)
    return chat_id


async def group_bot_messages(control: SandboxControl, chat_id: int) -> list[JsonDict]:
    events = await control.chat_messages(chat_id=chat_id)
    return [e for e in events if e.get("kind") == "message" and e.get("from") == "bot"]


async def wait_for_group_messages(
    control: SandboxControl, chat_id: int, count: int, wait_s: float = 15.0
) -> list[JsonDict]:
    deadline = time.monotonic() + wait_s
    while True:
        messages = await group_bot_messages(control, chat_id)
        if len(messages) >= count:
            return messages
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} bot messages in the group, got {messages}")
        await asyncio.sleep(0.05)


async def settle_group(
    control: SandboxControl, chat_id: int, quiet_s: float = 1.0
) -> list[JsonDict]:
    """The bot's group messages once nothing new came for `quiet_s` (to prove a negative)."""
    previous = await group_bot_messages(control, chat_id)
    while True:
        await asyncio.sleep(quiet_s)
        current = await group_bot_messages(control, chat_id)
        if len(current) == len(previous):
            return current
        previous = current


def texts(messages: list[JsonDict]) -> list[str]:
    return [m["text"] for m in messages]
