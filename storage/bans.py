"""SQL for banned people: the ban itself, and ending what they had pending. Who may ban is
decided in gallery/moderation/; what a ban hides, by the visibility fragment."""

from __future__ import annotations

from datetime import datetime

from storage.db import Connection
from storage.models import Row


class BanState(Row):
    id: int
    banned_at: datetime | None


async def lock_user_ban(conn: Connection, user_id: int) -> BanState | None:
    """The person's row, locked until commit; None when there is no such person."""
    row = await conn.fetchrow("SELECT id, banned_at FROM users WHERE id = $1 FOR UPDATE", user_id)
    return None if row is None else BanState.model_validate(dict(row))


async def set_banned(conn: Connection, user_id: int, reason: str | None, by: int | None) -> None:
    """Bans the person (a reason) or lifts the ban (None)."""
    await conn.execute(
        """UPDATE users SET banned_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END,
               ban_reason = $2, banned_by = $3 WHERE id = $1""",
        user_id, reason, by,
    )  # fmt: skip


async def is_banned(conn: Connection, user_id: int) -> bool:
    found = await conn.fetchval("SELECT banned_at IS NOT NULL FROM users WHERE id = $1", user_id)
    return bool(found)


class CancelledRequest(Row):
    id: int
    requester_id: int
    target_id: int


async def cancel_requests_of(conn: Connection, user_id: int) -> list[CancelledRequest]:
    """Every pending access request from or to `user_id` is cancelled."""
    rows = await conn.fetch(
        """UPDATE profile_requests SET status = 'cancelled', decided_at = now()
           WHERE status = 'pending' AND $1 IN (requester_id, target_id)
           RETURNING id, requester_id, target_id""",
        user_id,
    )
    return [CancelledRequest.model_validate(dict(r)) for r in rows]
