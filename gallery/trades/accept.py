"""Accepting a trade moves its objects under the ownership locks.

Lock order, the same in every path that moves objects: the objects first (id order, via
lock_for_trade), then the trade's row (a conditional UPDATE that locks and re-checks it in one
statement), then (inside move_objects) the rows of other trades that name a moved object.
Checking the trade under its lock after the object locks is what lets 200 accepts of one trade
end with one move of each object: the losers queue on the objects, then find it accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gallery.ownership.moves import Move, check_locked, move_objects
from gallery.ownership.voiding import tell_voided
from gallery.retry import retry_on_deadlock
from gallery.trades import notices
from gallery.trades.closing import close_overdue
from gallery.trades.rules import check_actionable, check_role, not_pending
from gallery.trades.view import show_trade
from storage import ownership, trades
from storage.db import Connection
from storage.errors import Conflict, DomainError, NotFound
from storage.ownership import LockedObject
from storage.trade_views import TradeView
from storage.trades import TradeItem, TradeRow, TradeStatus


@dataclass(frozen=True)
class Outcome:
    trade: TradeRow
    refusal: DomainError | None = None  # raised after the commit that recorded why
    view: TradeView | None = None  # the accepted trade as its parties now see it


def moves_of(trade: TradeRow, items: Sequence[TradeItem]) -> list[Move]:
    """Give items go to the recipient, take items to the proposer."""
    return [
        Move(i.object_id, i.owner_id,
             trade.recipient_id if i.side == "give" else trade.proposer_id, i.title)
        for i in items if i.object_id is not None
    ]  # fmt: skip


async def lock_objects(
    conn: Connection, view: TradeView, moves: list[Move]
) -> tuple[list[LockedObject], DomainError | None]:
    """The objects locked, and whether the trade is still exactly what was shown: every line's
    object exists, is owned as proposed, has the title shown, and both people may see it. A
    refusal is decided under the trade's lock later (the trade becomes invalidated)."""
    if len(moves) != len(view.items):
        return [], NotFound("an object in the trade no longer exists", code="object_gone")
    object_ids = [m.object_id for m in moves]
    locked, hidden = await ownership.lock_for_trade(conn, object_ids, view.trade.id)
    try:
        check_locked(moves, locked)
    except (Conflict, NotFound) as refusal:
        return [], refusal
    if hidden:
        return [], Conflict(
            "an object in the trade is no longer visible to both of you", code="object_hidden"
        )
    return locked, None


def after_accept(view: TradeView, accepted: TradeRow) -> TradeView:
    """The trade once accepted, without reading it again: each object is with the other side."""
    trade = view.trade
    items = []
    for item in view.items:
        owner = trade.recipient_id if item.side == "give" else trade.proposer_id
        update = {"current_owner_id": owner, "current_owner_name": view.names[owner]}
        items.append(item.model_copy(update=update))
    return TradeView(trade=accepted, names=view.names, items=items)


async def _why_not(conn: Connection, trade_id: int, version: int) -> Outcome:
    """The trade was not current under its lock: refuse with its state, or expire it now."""
    trade = await trades.get_trade(conn, trade_id, lock=True)
    check_actionable(trade, version)
    return Outcome(await close_overdue(conn, trade))


async def _accept(conn: Connection, trade_id: int, user_id: int, version: int) -> Outcome:
    await trades.prefer_generic_plans(conn)
    peek = await show_trade(conn, trade_id, user_id)
    check_role(peek.trade, user_id, "recipient")
    check_actionable(peek.trade, version)
    moves = moves_of(peek.trade, peek.items)
    locked, refusal = await lock_objects(conn, peek, moves)
    status: TradeStatus = "accepted" if refusal is None else "invalidated"
    reason = None if refusal is None else refusal.detail
    decided = await trades.decide_current(conn, trade_id, version, status, reason)
    if decided is None:
        return await _why_not(conn, trade_id, version)
    if refusal is not None:
        await notices.decided(conn, decided, [], peek.names)
        return Outcome(decided, refusal)
    moved = await move_objects(conn, moves, reason="trade", reference_id=trade_id, locked=locked)
    await notices.decided(conn, decided, list(peek.items), peek.names)
    if moved.invalidated:
        await tell_voided(conn, moved.invalidated, user_id)
    return Outcome(decided, view=after_accept(peek, decided))


async def accept_trade(conn: Connection, trade_id: int, user_id: int, version: int) -> TradeView:
    """The recipient accepts the trade as they saw it (`version`): each side's objects go to
    the other. The trade comes back as its parties now see it."""

    async def attempt() -> Outcome:
        async with conn.transaction():
            return await _accept(conn, trade_id, user_id, version)

    outcome = await retry_on_deadlock(attempt)
    if outcome.refusal is not None:
        raise outcome.refusal
    if outcome.view is None:
        raise not_pending(outcome.trade)
    return outcome.view
