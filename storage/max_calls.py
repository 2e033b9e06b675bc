"""SQL for the bot-wide pace of MAX calls (migrations/0015_max_calls.sql): a slot per call."""

from __future__ import annotations

from storage.db import Connection


async def begin_call(
    conn: Connection, rate: int, window_s: float, in_flight_cap_s: float
) -> tuple[int | None, float]:
    """A slot for one call (its id, 0) or, when `rate` are busy, (None, seconds to wait)."""
    row = await conn.fetchrow(
        "SELECT call_id, wait_ms FROM max_call_begin($1, $2, $3)",
        rate,
        round(window_s * 1000),
        round(in_flight_cap_s * 1000),
    )
    assert row is not None
    return row["call_id"], row["wait_ms"] / 1000


async def end_call(conn: Connection, call_id: int) -> None:
    """The call's answer is back (or it failed): it counts for the window from now on."""
    await conn.execute(
        "UPDATE max_calls SET answered_at = clock_timestamp() WHERE id = $1", call_id
    )

