"""SQL for short multi-step chat flows (bot_dialogs): one state per person, expiring."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal

from storage.db import Connection
from storage.models import Row

DialogState = Literal["rename", "report"]


class Dialog(Row):
    user_id: int
    state: DialogState
    data: dict[str, Any]


async def start_dialog(
    conn: Connection, user_id: int, state: DialogState, data: dict[str, Any], ttl: timedelta
) -> None:
    await conn.execute(
        "INSERT INTO bot_dialogs (user_id, state, data, expires_at) "
        "VALUES ($1, $2, $3, now() + $4::interval) "
        "ON CONFLICT (user_id) DO UPDATE SET state = EXCLUDED.state, data = EXCLUDED.data, "
        "expires_at = EXCLUDED.expires_at, updated_at = now()",
        user_id,
        state,
        data,
        ttl,
    )


async def active_dialog(conn: Connection, user_id: int) -> Dialog | None:
    row = await conn.fetchrow(
        "SELECT user_id, state, data FROM bot_dialogs WHERE user_id = $1 AND expires_at > now()",
        user_id,
    )
    return None if row is None else Dialog.model_validate(dict(row))


async def end_dialog(conn: Connection, user_id: int) -> bool:
    result = await conn.execute("DELETE FROM bot_dialogs WHERE user_id = $1", user_id)
    return result != "DELETE 0"


async def prune_dialogs(conn: Connection) -> int:
    result = await conn.execute("DELETE FROM bot_dialogs WHERE expires_at <= now()")
    return int(result.split()[-1])
