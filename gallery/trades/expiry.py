"""Trades past their time: expired by the scheduler, on every replica at once, each once."""

from __future__ import annotations

from gallery.trades import notices
from storage import trades
from storage.db import Connection

EXPIRE_BATCH = 500


async def expire_trades(conn: Connection) -> int:
    """Expire every pending trade past its time and tell both people; how many expired.

    Safe on several replicas at once: each batch is one statement that skips rows another
    replica (or an accept) holds."""
    total = 0
    while True:
        async with conn.transaction():
            expired = await trades.expire_due(conn, EXPIRE_BATCH)
            for trade in expired:
                await notices.decided(conn, trade, [])
        total += len(expired)
        if len(expired) < EXPIRE_BATCH:
            return total
