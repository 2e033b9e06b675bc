"""An object's ownership history, for whoever may see the object."""

from __future__ import annotations

from storage import history, objects
from storage.db import Connection
from storage.history import HistoryEntry


async def object_history(
    conn: Connection, object_id: int, viewer: int | None
) -> list[HistoryEntry]:
    """Oldest first, people hidden from `viewer` unnamed; NotFound when the object does not
    exist or `viewer` may not see it."""
    await objects.get_object_detail(conn, object_id, viewer)  # the one visibility check
    return await history.get_history(conn, object_id, viewer)
