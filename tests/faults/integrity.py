"""What must hold after a fault: nothing half-written in the database or the store, the outbox
drained, and each chat photo taken exactly once."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from sandbox.control import SandboxControl
from storage.db import Connection
from storage.media import MediaStore

OBJECTS_WITHOUT_CREATION = """
SELECT o.id FROM art_objects o
WHERE NOT EXISTS (SELECT 1 FROM ownership_history h WHERE h.object_id = o.id
                  AND h.reason = 'created' AND h.to_user_id = o.creator_id)
"""
PHOTOS_WITHOUT_OBJECT = """
SELECT p.id FROM photos p WHERE NOT EXISTS (SELECT 1 FROM art_objects o WHERE o.photo_id = p.id)
"""
PHOTO_KEYS = "SELECT original_key, preview_key, thumb_key FROM photos"
OUTBOX = "SELECT status, count(*) FROM outbox GROUP BY status"


async def half_written(conn: Connection, store: MediaStore) -> dict[str, list[Any]]:
    """Every kind of half-written state, each with what was found (all empty when whole)."""
    stored = {listed.key async for listed in store.list_objects()}
    named = {key for row in await conn.fetch(PHOTO_KEYS) for key in row}
    return {
        "objects without their 'created' history": await _ids(conn, OBJECTS_WITHOUT_CREATION),
        "photos without an object": await _ids(conn, PHOTOS_WITHOUT_OBJECT),
        "photo files missing from the store": sorted(named - stored),
        "stray files no photo names": sorted(stored - named),
    }


async def _ids(conn: Connection, query: str) -> list[int]:
    return [row[0] for row in await conn.fetch(query)]


async def outbox_drained(conn: Connection, timeout_s: float) -> dict[str, int]:
    """Wait until no push is pending; the count of each status then (or at the deadline)."""
    deadline = time.monotonic() + timeout_s
    while True:
        counts = {row[0]: row[1] for row in await conn.fetch(OUTBOX)}
        if not counts.get("pending") or time.monotonic() > deadline:
            return counts
        await asyncio.sleep(0.2)


async def titles(conn: Connection) -> Counter[str]:
    return Counter(row[0] for row in await conn.fetch("SELECT title FROM art_objects"))


async def deliveries_settled(control: SandboxControl, timeout_s: float) -> list[dict[str, Any]]:
    """The sandbox's webhook deliveries once each update has had its 200 (or the deadline)."""
    deadline = time.monotonic() + timeout_s
    while True:
        deliveries = await control.webhook_deliveries()
        if not unanswered(deliveries) or time.monotonic() > deadline:
            return deliveries
        await asyncio.sleep(0.3)


def unanswered(deliveries: list[dict[str, Any]]) -> set[tuple[str, int]]:
    """Updates (type, timestamp) that no delivery answered with 200."""
    every = {(d["update_type"], d["timestamp"]) for d in deliveries if not d["duplicate"]}
    done = {(d["update_type"], d["timestamp"]) for d in deliveries if d["status"] == 200}
    return every - done


def redelivered(deliveries: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Updates first refused with 503 and taken by a later delivery."""
    refused = {(d["update_type"], d["timestamp"]) for d in deliveries if d["status"] == 503}
    done = {(d["update_type"], d["timestamp"]) for d in deliveries if d["status"] == 200}
    return sorted(refused & done)


def bot_texts(events: list[dict[str, Any]]) -> list[str]:
    """What the bot wrote in a chat, in order."""
    return [str(e.get("text") or "") for e in events
            if e.get("kind") == "message" and e.get("from") == "bot"]  # fmt: skip
