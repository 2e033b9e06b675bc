"""Photos sent in the chat become objects: a card per photo, or the reason it was refused."""

from __future__ import annotations

import random
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from PIL import Image

from bot.payloads import encode
from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.bot.helpers import bot_messages, buttons, settle, wait_for_bot_messages
from tests.media.images import encode as encode_image
from tests.media.images import photo, solid_png_header

Client = TestClient[web.Request, web.Application]


def jpeg(seed: int) -> bytes:
    return encode_image(photo(seed, (640, 480)), "JPEG", quality=90)


async def new_user(sandbox: RunningSandbox, name: str = "Bob", lang: str = "en") -> int:
    user_id: int = (await sandbox.control.create_user(name, language_code=lang))["user"]["user_id"]
    return user_id


def image_of(message: dict[str, Any]) -> dict[str, Any]:
    images: list[dict[str, Any]] = [
        a for a in message["attachments"] or [] if a["type"] == "image"
    ]
    [image] = images
    return image


async def test_photos_with_a_caption_become_objects_with_cards(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    await sandbox.control.send_photos(user_id, [jpeg(1), jpeg(2)], caption="Harbour")
    cards = await wait_for_bot_messages(sandbox.control, user_id, 2)
    objects = await db.fetch("SELECT id, title, owner_id FROM art_objects ORDER BY id")
    assert [(o["title"], o["owner_id"]) for o in objects] == [
        ("Harbour (1)", user_id),
        ("Harbour (2)", user_id),
    ]
    for card, obj in zip(cards, objects, strict=True):
        assert card["text"] == f"«{obj['title']}» is now your art object."
        assert image_of(card)["payload"]["url"].startswith(sandbox.base_url)
        assert [(b["type"], b["text"], b.get("payload")) for b in buttons(card)] == [
            ("open_app", "Open", f"o_{obj['id']}"),
            ("callback", "Rename", encode("rn", obj["id"])),
            ("callback", "Transfer", encode("tq", obj["id"])),
            ("callback", "Share", encode("sh", obj["id"])),
        ]
    history = await db.fetch("SELECT reason, from_user_id, to_user_id FROM ownership_history")
    assert [tuple(h) for h in history] == [("created", None, user_id)] * 2


async def test_a_photo_without_caption_gets_a_dated_title_in_russian(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox, "Анна", "ru")
    await sandbox.control.send_photos(user_id, [jpeg(3)])
    [card] = await wait_for_bot_messages(sandbox.control, user_id)
    title = await db.fetchval("SELECT title FROM art_objects")
    assert title.startswith("Фото ")
    assert card["text"] == f"«{title}» — теперь ваш арт-объект."


async def test_the_preview_is_uploaded_to_max_once_per_photo(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    await sandbox.control.send_photos(user_id, [jpeg(4)], caption="Once")
    await wait_for_bot_messages(sandbox.control, user_id)
    uploads = [r for r in sandbox.state.request_log if r["path"] == "/uploads"]
    assert len(uploads) == 1
    assert await db.fetchval("SELECT max_image_token FROM photos") is not None


async def test_an_exact_duplicate_from_anyone_is_refused_with_the_title(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    first, second = await new_user(sandbox, "Bob"), await new_user(sandbox, "Анна", "ru")
    await sandbox.control.send_photos(first, [jpeg(5)], caption="Lighthouse")
    await wait_for_bot_messages(sandbox.control, first)
    await sandbox.control.send_photos(second, [jpeg(5)], caption="Mine now")
    [refusal] = await wait_for_bot_messages(sandbox.control, second)
    assert refusal["text"] == "Фото не добавлено: оно уже есть в галерее как «Lighthouse»."
    assert not refusal["attachments"]
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 1


async def test_one_bad_photo_does_not_spoil_the_others(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    huge, bomb = solid_png_header(10_000, 6_000), solid_png_header(20_000, 20_000)
    cut = jpeg(8)[:5000]
    batch = [jpeg(6), svg, huge, bomb, cut, jpeg(6)]
    await sandbox.control.send_photos(user_id, batch, caption="Mixed")
    replies = await wait_for_bot_messages(sandbox.control, user_id, 6)
    assert [r["text"] for r in replies] == [
        "«Mixed (1)» is now your art object.",
        "Photo not added: it is not a JPEG, PNG, WebP or GIF image.",
        "Photo not added: the image is over 50 megapixels.",
        "Photo not added: the image is too large to open.",
        "Photo not added: the file is damaged or cut short.",
        "Photo not added: it is already in the gallery as «Mixed (1)».",
    ]
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 1


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A 200 kB cap so the streamed download limit is easy to cross."""
    media = settings.media.model_copy(update={"max_bytes": 200_000})
    return settings.model_copy(update={"media": media})


async def test_a_photo_over_the_byte_limit_is_refused_while_downloading(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    noise = Image.frombytes("RGB", (400, 300), random.Random(7).randbytes(400 * 300 * 3))
    big = encode_image(noise, "PNG")
    assert len(big) > 200_000
    await sandbox.control.send_photos(user_id, [big])
    [refusal] = await wait_for_bot_messages(sandbox.control, user_id)
    assert refusal["text"] == "Photo not added: the file is over 0.2 MB."
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0
    assert len(await settle(sandbox.control, user_id)) == 1
    assert await bot_messages(sandbox.control, user_id) == [refusal]
