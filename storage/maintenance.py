"""SQL for housekeeping that periodic jobs run: each statement is safe to run from any replica."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Connection

PRUNE_SESSIONS = """
DELETE FROM auth_sessions WHERE family IN (
    SELECT family FROM auth_sessions
    GROUP BY family
    HAVING max(expires_at) < now() - $1::interval
        OR (bool_and(revoked_at IS NOT NULL) AND max(revoked_at) < now() - $1::interval)
)
"""


async def prune_sessions(conn: Connection, grace: timedelta) -> int:
    """Whole login families, once every refresh token in them expired or was revoked (a family
    goes at once because its rows reference each other)."""
    result = await conn.execute(PRUNE_SESSIONS, grace)
    return int(result.split()[-1])


async def try_job_lock(conn: Connection, name: str) -> bool:
    """A session-level advisory lock per job name: one replica runs a job at a time."""
    return bool(await conn.fetchval("SELECT pg_try_advisory_lock(2, hashtext($1))", name))


async def release_job_lock(conn: Connection, name: str) -> None:
    await conn.execute("SELECT pg_advisory_unlock(2, hashtext($1))", name)
