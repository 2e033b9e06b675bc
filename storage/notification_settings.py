"""SQL for notification settings: a person's switches, one per kind of push.

No row means every switch at its default; the defaults are the caller's (gallery/notices/
settings.py), mirrored by the table's column defaults (migration 0019).
"""

from __future__ import annotations

from storage.db import Connection
from storage.models import Row

# the columns, in the order the statements below take them
SWITCHES = ("trades", "transfers", "requests", "favorites", "moderation")

# The switch for the category in $7, for the person in $1 (NULL without a row, or for a category
# not listed here): read by the statement that queues a push, storage/outbox_queue.py.
SWITCH_FOR_CATEGORY = """(SELECT CASE $7::text
        WHEN 'trades' THEN s.trades WHEN 'transfers' THEN s.transfers
        WHEN 'requests' THEN s.requests WHEN 'favorites' THEN s.favorites
        WHEN 'moderation' THEN s.moderation END
    FROM notification_settings s WHERE s.user_id = $1)"""


class NotificationSwitches(Row):
    trades: bool
    transfers: bool
    requests: bool
    favorites: bool
    moderation: bool


async def get_switches(conn: Connection, user_id: int) -> NotificationSwitches | None:
    """The person's row, or None when they never changed a switch."""
    row = await conn.fetchrow(
        "SELECT trades, transfers, requests, favorites, moderation"
        " FROM notification_settings WHERE user_id = $1",
        user_id,
    )
    return None if row is None else NotificationSwitches.model_validate(dict(row))


SET_SWITCHES = """
INSERT INTO notification_settings AS s (user_id, trades, transfers, requests, favorites, moderation)
VALUES ($1, coalesce($2::boolean, $7::boolean), coalesce($3::boolean, $8::boolean),
        coalesce($4::boolean, $9::boolean), coalesce($5::boolean, $10::boolean),
        coalesce($6::boolean, $11::boolean))
ON CONFLICT (user_id) DO UPDATE SET
    trades = coalesce($2, s.trades), transfers = coalesce($3, s.transfers),
    requests = coalesce($4, s.requests), favorites = coalesce($5, s.favorites),
    moderation = coalesce($6, s.moderation), updated_at = now()
RETURNING trades, transfers, requests, favorites, moderation
"""


async def set_switches(
    conn: Connection,
    user_id: int,
    changes: dict[str, bool],
    defaults: NotificationSwitches,
) -> NotificationSwitches:
    """Turn the switches named in `changes` on or off, the others as they were (or at their
    `defaults` for a person without a row): one statement, safe against a concurrent change."""
    unknown = set(changes) - set(SWITCHES)
    if unknown:
        raise ValueError(f"no such switch: {sorted(unknown)}")
    wanted = [changes.get(name) for name in SWITCHES]
    fallback = [getattr(defaults, name) for name in SWITCHES]
    row = await conn.fetchrow(SET_SWITCHES, user_id, *wanted, *fallback)
    assert row is not None
    return NotificationSwitches.model_validate(dict(row))
