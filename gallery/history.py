"""An object's ownership history as a readable timeline, for whoever may see the object."""

from __future__ import annotations

from dataclasses import dataclass

from bot.texts import label
from storage import objects
from storage.db import Connection
from storage.models import Language
from storage.objects import HistoryEntry


@dataclass(frozen=True)
class HistoryEvent:
    entry: HistoryEntry
    text: str  # "Created by Anna", "Transferred to Bob", "Traded with Eve"


async def object_history(
    conn: Connection, object_id: int, viewer: int | None, language: Language
) -> list[HistoryEvent]:
    """Oldest first; NotFound when the object does not exist or `viewer` may not see it."""
    await objects.get_object_detail(conn, object_id, viewer)  # the one visibility check
    entries = await objects.get_history(conn, object_id, viewer)
    someone = label("history.someone", language)
    return [
        HistoryEvent(e, label(f"history.{e.reason}", language, to=e.to_name or someone))
        for e in entries
    ]
