"""SQL for ingest bookkeeping: idempotency keys of handled updates, and the long-poll marker."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Connection

MARKER_KEY = "long_poll_marker"


async def claim_update(conn: Connection, key: str, update_type: str) -> bool:
    """Record `key` as handled; False if it already was. Call inside the handler's transaction."""
    inserted = await conn.fetchval(
        "INSERT INTO processed_updates (key, update_type) VALUES ($1, $2) "
        "ON CONFLICT (key) DO NOTHING RETURNING TRUE",
        key,
        update_type,
    )
    return bool(inserted)


async def prune_processed_updates(conn: Connection, older_than: timedelta) -> int:
    result = await conn.execute(
        "DELETE FROM processed_updates WHERE processed_at < now() - $1::interval", older_than
    )
    return int(result.split()[-1])


async def load_marker(conn: Connection) -> int | None:
    value = await conn.fetchval("SELECT value FROM bot_state WHERE key = $1", MARKER_KEY)
    return None if value is None else int(value)


async def save_marker(conn: Connection, marker: int) -> None:
    await conn.execute(
        "INSERT INTO bot_state (key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
        MARKER_KEY,
        marker,
    )
