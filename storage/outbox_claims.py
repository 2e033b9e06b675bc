"""Who holds a push's claim: each sender holds a session-level advisory lock on its long-lived
listener connection and stamps the rows it claims with the lock's key. PostgreSQL drops the lock
when that session ends (a killed process's socket closes, its backend exits), so the claim query
can tell a dead sender's rows from a live one's without waiting for the lease."""

from __future__ import annotations

import secrets

from storage.db import Connection

# advisory locks in the two-int key space, class 4: a push sender (class 1 is a session family,
# class 3 the claim's own transaction lock in storage/outbox.py)
SENDER_LOCK_CLASS = 4

# The senders alive now: those whose lock is granted in this database. Inlined into CLAIM.
LIVE_SENDERS = f"""
SELECT l.objid::bigint AS sender FROM pg_locks l
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = {SENDER_LOCK_CLASS}
  AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


async def hold_sender_lock(conn: Connection) -> int:
    """A fresh sender id whose lock `conn`'s session now holds until it ends or is reset."""
    while True:
        sender_id = secrets.randbelow(2**31 - 1) + 1  # objid is an unsigned 32-bit oid
        taken: bool = await conn.fetchval(
            "SELECT pg_try_advisory_lock($1, $2)", SENDER_LOCK_CLASS, sender_id
        )
        if taken:
            return sender_id
