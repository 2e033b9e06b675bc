"""What must hold after the crashes: each photo one object, one 'created' row, one card; each
press one transfer and one QR message; each command one answer; every push sent; the media
directory and the photo rows telling the same story."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import asyncpg

from config.settings import DatabaseSettings
from gallery.photos.sweep import sweep_orphans
from sandbox.control import SandboxControl
from storage.db import create_pool
from storage.media import LocalMediaStore
from tests.bot.helpers import JsonDict, bot_messages
from tests.crash.people import Person, transfer_button

GALLERY_REPLY = "The gallery opens in the mini-app:"
QR_TEXT = "«{title}»: show this QR code"
OBJECTS = "SELECT id, title FROM art_objects"
CREATED = """
SELECT o.title FROM ownership_history h JOIN art_objects o ON o.id = h.object_id
WHERE h.reason = 'created'
"""
TRANSFERS = "SELECT o.title FROM transfers t JOIN art_objects o ON o.id = t.object_id"
OUTBOX = "SELECT status, count(*) AS n FROM outbox GROUP BY status"
PHOTO_KEYS = "SELECT id, original_key, preview_key, thumb_key FROM photos"
# sends marked sent with the message id of another send: one message in the chat, two pushes
SHARED_MESSAGES = """
SELECT message_id, array_agg(id ORDER BY id) AS rows,
       array_agg(left(body -> 'message' ->> 'text', 40) ORDER BY id) AS texts,
       array_agg(created_at ORDER BY id) AS created, array_agg(sent_at ORDER BY id) AS sent
FROM outbox WHERE kind = 'send' AND message_id IS NOT NULL
GROUP BY message_id HAVING count(*) > 1
"""


async def sandbox_idle(control: SandboxControl) -> bool:
    """No update waits to be posted, retried or polled past."""
    stats = await control.stats()
    deliveries = await control.webhook_deliveries()
    retrying = bool(deliveries) and deliveries[-1]["status"] != 200
    return stats["webhook_backlog"] == 0 and stats["pending_updates"] == 0 and not retrying


async def until_outbox_settles(
    db: asyncpg.Connection, control: SandboxControl, timeout_s: float, quiet_s: float = 1.5
) -> None:
    """Until no push is pending, no update waits at the sandbox, and no new row came for
    `quiet_s`."""
    deadline, last, quiet_since = time.monotonic() + timeout_s, -1, time.monotonic()
    while time.monotonic() < deadline:
        rows: int = await db.fetchval("SELECT count(*) FROM outbox")
        pending: int = await db.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'")
        if rows != last or pending or not await sandbox_idle(control):
            last, quiet_since = rows, time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        await asyncio.sleep(0.2)


async def per_photo(
    db: asyncpg.Connection, control: SandboxControl, people: list[Person]
) -> dict[str, dict[str, int]]:
    """For each title: objects, 'created' rows, transfers, cards and QR messages."""
    objects = await db.fetch(OBJECTS)
    titles = {int(r["id"]): str(r["title"]) for r in objects}
    counts: dict[str, Counter[str]] = {}
    for kind, names in (
        ("objects", [r["title"] for r in objects]),
        ("created", [r["title"] for r in await db.fetch(CREATED)]),
        ("transfers", [r["title"] for r in await db.fetch(TRANSFERS)]),
    ):
        for title in names:
            counts.setdefault(title, Counter())[kind] += 1
    for person in people:
        for message in await bot_messages(control, person.user_id):
            card = transfer_button(message)
            if card is not None:
                counts.setdefault(titles.get(card[0], f"#{card[0]}"), Counter())["cards"] += 1
            for title in person.captions:
                if str(message.get("text") or "").startswith(QR_TEXT.format(title=title)):
                    counts.setdefault(title, Counter())["qr messages"] += 1
    return {title: dict(counter) for title, counter in counts.items()}


def expected_per_photo(people: list[Person]) -> dict[str, dict[str, int]]:
    once = {"objects": 1, "created": 1, "transfers": 1, "cards": 1, "qr messages": 1}
    return {caption: dict(once) for person in people for caption in person.captions}


def chat_summary(messages: list[JsonDict]) -> dict[str, int]:
    texts = [str(m.get("text") or "") for m in messages]
    return {
        "messages": len(messages),
        "gallery replies": texts.count(GALLERY_REPLY),
        "greetings": sum(t.startswith("Hello") for t in texts),
    }


async def per_chat(control: SandboxControl, people: list[Person]) -> dict[str, dict[str, int]]:
    return {p.name: chat_summary(await bot_messages(control, p.user_id)) for p in people}


def expected_per_chat(people: list[Person]) -> dict[str, dict[str, int]]:
    """A greeting, then per round a card, a QR code and a gallery reply: nothing else."""
    return {
        p.name: {
            "messages": 1 + 2 * len(p.captions) + p.galleries,
            "gallery replies": p.galleries,
            "greetings": 1,
        }
        for p in people
    }


async def outbox_statuses(db: asyncpg.Connection) -> dict[str, int]:
    return {str(r["status"]): int(r["n"]) for r in await db.fetch(OUTBOX)}


async def pushes_sharing_a_message(db: asyncpg.Connection) -> list[dict[str, object]]:
    return [dict(r) for r in await db.fetch(SHARED_MESSAGES)]


async def swept_media(database_url: str, media_root: Path) -> tuple[list[str], dict[str, int]]:
    """The orphan sweep with no grace (the app is stopped: nothing is mid-upload), then what is
    left: objects of no photo, and photo rows missing an object."""
    store = LocalMediaStore(media_root)
    pool = await create_pool(database_url, DatabaseSettings(pool_min=1, pool_max=2))
    try:
        removed = await sweep_orphans(pool, store, grace=timedelta(0))
        async with pool.acquire() as conn:
            photos = await conn.fetch(PHOTO_KEYS)
    finally:
        await pool.close()
    wanted = {
        str(r[k]): int(r["id"])
        for r in photos
        for k in ("original_key", "preview_key", "thumb_key")
    }
    listed = {o.key async for o in store.list_objects()}
    return removed, {
        "objects without a photo row": len(listed - wanted.keys()),
        "photo files missing": len(wanted.keys() - listed),
    }
