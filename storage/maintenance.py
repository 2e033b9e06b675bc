"""SQL for housekeeping that periodic jobs run, and for sharing their rounds among replicas: each
statement is safe to run from any replica."""

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


# A round is due once `min_gap` has passed since the last one started, on whichever replica.
# Concurrent claims of one name serialise on its row: one inserts or updates it, the others then
# see a round that started just now and claim nothing.
CLAIM_JOB_ROUND = """
INSERT INTO job_rounds AS r (name, started_at) VALUES ($1, clock_timestamp())
ON CONFLICT (name) DO UPDATE SET started_at = clock_timestamp(), rounds = r.rounds + 1
WHERE r.started_at <= clock_timestamp() - $2::interval
RETURNING rounds
"""


async def claim_job_round(conn: Connection, name: str, min_gap: timedelta) -> bool:
    """True when this caller is to run job `name`'s round; False when another replica has run
    it within `min_gap`."""
    return await conn.fetchval(CLAIM_JOB_ROUND, name, min_gap) is not None
