"""SQL for login sessions: refresh tokens stored as sha256, grouped in rotation families."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from storage.db import Connection
from storage.models import Row, UserRow

# advisory locks in the two-int key space, class 1: a session family (migrations use the other)
FAMILY_LOCK_CLASS = 1


class SessionRow(Row):
    id: int
    user_id: int
    token_hash: bytes
    family: UUID
    expires_at: datetime
    revoked_at: datetime | None
    replaced_by: int | None
    created_at: datetime


INSERT = """
INSERT INTO auth_sessions (user_id, token_hash, family, expires_at)
VALUES ($1, $2, $3, $4)
RETURNING *
"""


async def create_session(
    conn: Connection, *, user_id: int, token_hash: bytes, family: UUID, expires_at: datetime
) -> SessionRow:
    row = await conn.fetchrow(INSERT, user_id, token_hash, family, expires_at)
    assert row is not None
    return SessionRow.model_validate(dict(row))


async def find_session(conn: Connection, token_hash: bytes) -> SessionRow | None:
    row = await conn.fetchrow("SELECT * FROM auth_sessions WHERE token_hash = $1", token_hash)
    return None if row is None else SessionRow.model_validate(dict(row))


async def lock_family(conn: Connection, family: UUID) -> None:
    """Serialise rotations and revocations of one family until the transaction ends.

    A row lock alone is not enough: a family-wide UPDATE does not see a successor row that a
    concurrent rotation inserted but had not committed when the UPDATE began.
    """
    await conn.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2::uuid::text))", FAMILY_LOCK_CLASS, family
    )


async def lock_session(conn: Connection, token_hash: bytes) -> SessionRow | None:
    """The session of `token_hash` as committed now, locked until the transaction ends."""
    row = await conn.fetchrow(
        "SELECT * FROM auth_sessions WHERE token_hash = $1 FOR UPDATE", token_hash
    )
    return None if row is None else SessionRow.model_validate(dict(row))


async def mark_replaced(conn: Connection, session_id: int, replaced_by: int) -> None:
    await conn.execute(
        "UPDATE auth_sessions SET revoked_at = now(), replaced_by = $2 WHERE id = $1",
        session_id,
        replaced_by,
    )


async def revoke_family(conn: Connection, family: UUID) -> int:
    status = await conn.execute(
        "UPDATE auth_sessions SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL",
        family,
    )
    return int(status.split()[-1])


class SessionUser(Row):
    """The person an access token names, and whether the login it belongs to still stands."""

    user: UserRow | None
    live: bool


SESSION_USER = """
SELECT u.*, EXISTS (
    SELECT 1 FROM auth_sessions s
    WHERE s.family = $2 AND s.user_id = u.id AND s.revoked_at IS NULL
) AS session_live
FROM users u WHERE u.id = $1
"""


async def session_user(conn: Connection, user_id: int, family: UUID) -> SessionUser:
    """One round trip: the user, and whether `family` is a login of theirs not yet ended (a
    logout or a reused refresh token revokes every token of the family)."""
    row = await conn.fetchrow(SESSION_USER, user_id, family)
    if row is None:
        return SessionUser(user=None, live=False)
    fields = dict(row)
    live = bool(fields.pop("session_live"))
    return SessionUser(user=UserRow.model_validate(fields), live=live)
