"""Sandbox users busy with the bot while it crashes: each sends photos with a caption of its own,
asks for /gallery, and presses the Transfer (QR) button on each card it is sent, once. What each
did is written down, to check the database and the chat against afterwards."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from io import BytesIO

from sandbox.control import SandboxControl
from tests.bot.helpers import JsonDict, bot_messages, buttons
from tests.browser.artworks import artwork

TRANSFER_ACTION = "tq"  # the card's Transfer button (bot/cards.py)
# rounds of a photo and a /gallery: at most this many keeps one person under the bot's 30 photos
# a minute (limits.chat_photos_per_minute)
MIN_ROUNDS, MAX_ROUNDS = 4, 10


@dataclass
class Person:
    user_id: int
    chat_id: int
    name: str
    captions: list[str] = field(default_factory=list)
    galleries: int = 0  # /gallery commands sent
    pressed: dict[int, str] = field(default_factory=dict)  # object id -> the card's mid


def photo_jpeg(seed: int) -> bytes:
    buffer = BytesIO()
    artwork(seed, size=(1024, 768)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


async def join(control: SandboxControl, index: int) -> Person:
    created = await control.create_user(f"Crash{index}", language_code="en")
    person = Person(int(created["user"]["user_id"]), int(created["chat_id"]), f"Crash{index}")
    await control.start_bot(person.user_id)
    return person


async def chat_with_bot(
    control: SandboxControl, person: Person, seed: int, rng: random.Random, until: asyncio.Event
) -> None:
    """A photo and a /gallery per round, a moment apart: MIN_ROUNDS, then on until `until` is
    set, so the app is busy at every kill."""
    for number in range(MAX_ROUNDS):
        if number >= MIN_ROUNDS and until.is_set():
            return
        caption = f"{person.name} photo {number}"
        person.captions.append(caption)
        await control.send_photos(person.user_id, [photo_jpeg(seed + number)], caption=caption)
        await asyncio.sleep(rng.uniform(0.2, 0.8))
        await control.send_text(person.user_id, "/gallery")
        person.galleries += 1
        await asyncio.sleep(rng.uniform(0.2, 0.8))


def transfer_button(message: JsonDict) -> tuple[int, str] | None:
    """The object id and payload of a card's Transfer button; None on any other message."""
    for button in buttons(message):
        payload = str(button.get("payload") or "")
        parts = payload.split("|")
        if button.get("type") == "callback" and parts[1:2] == [TRANSFER_ACTION]:
            return int(parts[2]), payload
    return None


async def press_each_card_once(
    control: SandboxControl, person: Person, chatted: asyncio.Event, deadline: float
) -> None:
    """Press Transfer on every card as it arrives, until the chatting is over and every card has
    been pressed."""
    while time.monotonic() < deadline:
        if chatted.is_set() and len(person.pressed) >= len(person.captions):
            return
        for message in await bot_messages(control, person.user_id):
            found = transfer_button(message)
            if found is None or found[0] in person.pressed:
                continue
            object_id, payload = found
            person.pressed[object_id] = str(message["mid"])
            await control.press_button(person.user_id, str(message["mid"]), payload)
        await asyncio.sleep(0.3)


async def busy_people(
    control: SandboxControl,
    people: list[Person],
    rng: random.Random,
    until: asyncio.Event,
    press_deadline_s: float,
) -> None:
    """Everyone chats at once until `until` is set; their pressing goes on until every card
    has been pressed."""
    deadline = time.monotonic() + press_deadline_s
    seeds = [rng.randrange(10**9) for _ in people]
    chatted = asyncio.Event()

    async def chat_all() -> None:
        chats = [
            chat_with_bot(control, p, s, random.Random(s), until)
            for p, s in zip(people, seeds, strict=True)
        ]
        await asyncio.gather(*chats)
        chatted.set()

    pressing = [press_each_card_once(control, p, chatted, deadline) for p in people]
    await asyncio.gather(chat_all(), *pressing)
