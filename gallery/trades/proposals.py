"""Proposing a trade, and answering one with a counter-proposal.

Every action runs in its own transaction (a savepoint inside a bot update's transaction), again
if PostgreSQL picks it as a deadlock victim, and queues its notices in the same transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from config.settings import RulesSettings
from gallery.ownership.holds import check_not_held
from gallery.retry import retry_on_deadlock
from gallery.trades import notices
from gallery.trades.rules import (
    TradeDraft,
    check_actionable,
    check_draft,
    check_limits,
    check_owners,
    check_role,
    is_overdue,
    not_pending,
)
from storage import trades
from storage.db import Connection
from storage.errors import NotFound
from storage.objects import hold_visibility
from storage.trades import Side, TradeItem, TradeRow
from storage.users import get_user


async def write_trade(
    conn: Connection,
    rules: RulesSettings,
    proposer_id: int,
    draft: TradeDraft,
    *,
    parent_id: int | None = None,
) -> tuple[TradeRow, list[TradeItem]]:
    """Check and write a trade. The proposer's row lock makes the caps hold under races; the
    visibility locks keep both collections' privacy as checked until the trade is committed."""
    check_draft(proposer_id, draft)
    await trades.lock_person(conn, proposer_id)
    await hold_visibility(conn, [proposer_id, draft.recipient_id])
    # read after the visibility lock: a ban holds it exclusively, so one committed is seen
    recipient = await get_user(conn, draft.recipient_id)
    if recipient is None or recipient.banned_at is not None:  # a banned person is nobody here
        raise NotFound(f"user {draft.recipient_id} is unknown", code="recipient_not_found")
    found = await trades.share_lock_objects(
        conn, [*draft.give, *draft.take], proposer_id, draft.recipient_id
    )
    by_id = check_owners(proposer_id, draft, found)
    check_not_held(((o.title, o.received_at) for o in found), rules.hold_hours)
    await check_limits(conn, rules, proposer_id, draft.recipient_id)
    expires_at = datetime.now(UTC) + timedelta(hours=rules.trade_ttl_hours)
    trade = await trades.insert_trade(
        conn, proposer_id=proposer_id, recipient_id=draft.recipient_id,
        message=draft.message, expires_at=expires_at, parent_id=parent_id,
    )  # fmt: skip
    sides: list[tuple[int, Side]] = [(i, "give") for i in draft.give]
    sides += [(i, "take") for i in draft.take]
    items = [
        TradeItem(trade_id=trade.id, object_id=object_id, side=side,
                  owner_id=by_id[object_id].owner_id, title=by_id[object_id].title)
        for object_id, side in sides
    ]  # fmt: skip
    await trades.insert_items(conn, items)
    return trade, items


async def propose_trade(
    conn: Connection,
    rules: RulesSettings,
    proposer_id: int,
    draft: TradeDraft,
) -> TradeRow:
    """Propose `draft` to its recipient, who is pushed the trade with Accept / Decline / Open."""

    async def attempt() -> TradeRow:
        async with conn.transaction():
            trade, items = await write_trade(conn, rules, proposer_id, draft)
            await notices.proposed(conn, trade, items)
            return trade

    return await retry_on_deadlock(attempt)


async def _counter(
    conn: Connection,
    rules: RulesSettings,
    trade_id: int,
    user_id: int,
    draft: TradeDraft,
) -> TradeRow:
    # the new trade locks the objects it names before the old trade's row, as accepts do
    trade, items = await write_trade(conn, rules, user_id, draft, parent_id=trade_id)
    old = await trades.get_trade(conn, trade_id, lock=True)
    check_role(old, user_id, "recipient")
    check_actionable(old, None)
    if is_overdue(old):
        raise not_pending(old.model_copy(update={"status": "expired"}))
    await trades.decide(conn, trade_id, "countered", f"answered by trade {trade.id}")
    await notices.proposed(conn, trade, items)
    return trade


async def counter_trade(
    conn: Connection,
    rules: RulesSettings,
    trade_id: int,
    user_id: int,
    *,
    give: list[int],
    take: list[int],
    message: str = "",
) -> TradeRow:
    """The recipient answers with a trade of their own; the old one becomes `countered`."""
    peek = await trades.get_trade(conn, trade_id)
    check_role(peek, user_id, "recipient")
    check_actionable(peek, None)
    draft = TradeDraft(peek.proposer_id, give, take, message)

    async def attempt() -> TradeRow:
        async with conn.transaction():
            return await _counter(conn, rules, trade_id, user_id, draft)

    return await retry_on_deadlock(attempt)
