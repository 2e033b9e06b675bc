"""Waiting for what the bot says in the sandbox, and posting raw webhooks."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sandbox.control import SandboxControl

JsonDict = dict[str, Any]


async def bot_messages(control: SandboxControl, user_id: int) -> list[JsonDict]:
    events = await control.chat_messages(user_id=user_id)
    return [e for e in events if e.get("kind") == "message" and e.get("from") == "bot"]


async def wait_for_bot_messages(
    control: SandboxControl, user_id: int, count: int = 1, wait_s: float = 10.0
) -> list[JsonDict]:
    """The bot's messages in the dialog once there are at least `count` of them."""
    deadline = time.monotonic() + wait_s
    while True:
        messages = await bot_messages(control, user_id)
        if len(messages) >= count:
            return messages
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} bot messages, got {messages}")
        await asyncio.sleep(0.05)


async def settle(control: SandboxControl, user_id: int, quiet_s: float = 0.6) -> list[JsonDict]:
    """The bot's messages once nothing new has arrived for `quiet_s` (to prove a negative)."""
    previous = await bot_messages(control, user_id)
    while True:
        await asyncio.sleep(quiet_s)
        current = await bot_messages(control, user_id)
        if len(current) == len(previous):
            return current
        previous = current


def buttons(message: JsonDict) -> list[JsonDict]:
    return [b for row in message.get("keyboard") or [] for b in row]
