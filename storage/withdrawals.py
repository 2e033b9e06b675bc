"""SQL: how often one person withdrew what they had sent another (trades, transfers, requests)."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Connection

WITHDRAWN = """
SELECT (SELECT count(*) FROM trades WHERE proposer_id = $1 AND recipient_id = $2
          AND status = 'cancelled' AND decided_at > now() - $3::interval)
     + (SELECT count(*) FROM transfers WHERE to_user_id = $2 AND from_user_id = $1
          AND kind = 'direct' AND status = 'cancelled' AND decided_at > now() - $3::interval)
     + (SELECT count(*) FROM profile_requests WHERE requester_id = $1 AND target_id = $2
          AND status = 'cancelled' AND decided_at > now() - $3::interval)
"""


async def withdrawn_within(conn: Connection, sender: int, to_user: int, window: timedelta) -> int:
    """Trades, direct transfers and access requests `sender` withdrew from `to_user` lately."""
    count: int = await conn.fetchval(WITHDRAWN, sender, to_user, window)
    return count
