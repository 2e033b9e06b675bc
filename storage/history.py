"""SQL for an object's ownership history, with the people the viewer may not see left out."""

from __future__ import annotations

from datetime import datetime

from storage.db import Connection
from storage.models import Row
from storage.objects import OWNER_NAME, visible_to


class HistoryEntry(Row):
    """One move. A person the viewer may not see (their collection is hidden from the viewer,
    they are not the creator, and the viewer was not the other side of that move) comes back
    with id and name None: the history must not list who owns what privately."""

    from_user_id: int | None  # None at creation, or when hidden
    from_name: str | None
    to_user_id: int | None
    to_name: str | None
    reason: str
    created_at: datetime


def _named(alias: str) -> str:
    """Whether the viewer ($2) may be told who `alias` (a users alias in HISTORY) is."""
    return (
        f"({alias}.id = o.creator_id OR $2::bigint IN (h.from_user_id, h.to_user_id)"
        f" OR {visible_to(alias, '$2')})"
    )


HISTORY = f"""
SELECT CASE WHEN {_named("fu")} THEN h.from_user_id END AS from_user_id,
       CASE WHEN {_named("fu")} THEN {OWNER_NAME.replace("u.", "fu.")} END AS from_name,
       CASE WHEN {_named("u")} THEN h.to_user_id END AS to_user_id,
       CASE WHEN {_named("u")} THEN {OWNER_NAME} END AS to_name,
       h.reason, h.created_at
FROM ownership_history h
JOIN art_objects o ON o.id = h.object_id
LEFT JOIN users fu ON fu.id = h.from_user_id
JOIN users u ON u.id = h.to_user_id
WHERE h.object_id = $1
ORDER BY h.created_at, h.id
"""


async def get_history(
    conn: Connection, object_id: int, viewer: int | None
) -> list[HistoryEntry]:
    rows = await conn.fetch(HISTORY, object_id, viewer)
    return [HistoryEntry.model_validate(dict(row)) for row in rows]
