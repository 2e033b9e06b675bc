"""What a trade tells its two people, queued in the caller's transaction (gallery.notices).

Every notice carries a dedupe key of the trade and its version, so whatever retries a
transaction, a person hears about one change of one trade once.
"""

from __future__ import annotations

from gallery.notices import notify
from gallery.notices.kinds import TradeDecided, TradeProposed
from storage import trade_views
from storage.db import Connection
from storage.trades import TradeItem, TradeRow

NOTE_MAX = 300


def titles(items: list[TradeItem], side: str) -> list[str]:
    """The titles of one side as the trade was proposed with them."""
    return [i.title for i in items if i.side == side]


def _key(trade: TradeRow, user_id: int) -> str:
    return f"trade:{trade.id}:v{trade.version}:{user_id}"


async def proposed(conn: Connection, trade: TradeRow, items: list[TradeItem]) -> None:
    """The recipient hears of a new trade (or a counter) with buttons to answer it."""
    names = await trade_views.names(conn, [trade.proposer_id])
    notice = TradeProposed(
        trade_id=trade.id,
        version=trade.version,
        counter=trade.parent_id is not None,
        proposer_name=names.get(trade.proposer_id, "—"),
        you_give=titles(items, "take"),
        you_get=titles(items, "give"),
        message=trade.message[:NOTE_MAX],
    )
    await notify(
        conn, trade.recipient_id, notice, dedupe_key=_key(trade, trade.recipient_id),
        sender=trade.proposer_id, burst="made",
    )  # fmt: skip


async def decided(
    conn: Connection,
    trade: TradeRow,
    items: list[TradeItem],
    names: dict[int, str] | None = None,
) -> None:
    """The other party hears that a trade was accepted, declined, cancelled or expired."""
    if trade.status == "expired":
        parties = [(trade.proposer_id, trade.recipient_id), (trade.recipient_id, trade.proposer_id)]
    elif trade.status == "cancelled":
        parties = [(trade.recipient_id, trade.proposer_id)]
    else:
        parties = [(trade.proposer_id, trade.recipient_id)]
    if names is None:
        names = await trade_views.names(conn, [trade.proposer_id, trade.recipient_id])
    expired = trade.status == "expired"  # nobody's doing: no sender to count it against
    for to_user, other in parties:
        notice = TradeDecided(
            trade_id=trade.id, outcome=trade.status, other_name=names.get(other, "—"),
            give=titles(items, "give"), take=titles(items, "take"),
        )  # fmt: skip
        await notify(
            conn, to_user, notice, dedupe_key=_key(trade, to_user),
            sender=None if expired else other,
            burst="withdrawn" if trade.status == "cancelled" else None,
        )  # fmt: skip
