"""Closing a pending trade: the recipient declines, the proposer withdraws, or it is overdue."""

from __future__ import annotations

from gallery.retry import retry_on_deadlock
from gallery.trades import notices
from gallery.trades.rules import Role, check_actionable, check_role, is_overdue, not_pending
from storage import trades
from storage.db import Connection
from storage.trades import TradeRow, TradeStatus


async def close_overdue(conn: Connection, trade: TradeRow) -> TradeRow:
    """A trade found past its expiry is expired on the spot, as the scheduler would."""
    expired = await trades.decide(conn, trade.id, "expired", "the trade expired")
    await notices.decided(conn, expired, [])
    return expired


async def _close(
    conn: Connection, trade_id: int, user_id: int, version: int | None, role: Role
) -> TradeRow:
    trade = await trades.get_trade(conn, trade_id, lock=True)
    check_role(trade, user_id, role)
    check_actionable(trade, version)
    if is_overdue(trade):
        return await close_overdue(conn, trade)
    status: TradeStatus = "declined" if role == "recipient" else "cancelled"
    closed = await trades.decide(conn, trade_id, status)
    await notices.decided(conn, closed, [])
    return closed


async def close_trade(
    conn: Connection, trade_id: int, user_id: int, role: Role, version: int | None = None
) -> TradeRow:
    """The recipient declines, or the proposer cancels, a pending trade."""

    async def attempt() -> TradeRow:
        async with conn.transaction():
            return await _close(conn, trade_id, user_id, version, role)

    closed = await retry_on_deadlock(attempt)
    if closed.status == "expired":
        raise not_pending(closed)
    return closed


async def decline_trade(
    conn: Connection, trade_id: int, user_id: int, version: int | None = None
) -> TradeRow:
    return await close_trade(conn, trade_id, user_id, "recipient", version)


async def cancel_trade(
    conn: Connection, trade_id: int, user_id: int, version: int | None = None
) -> TradeRow:
    return await close_trade(conn, trade_id, user_id, "proposer", version)
