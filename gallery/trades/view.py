"""Reading trades: one trade, or a box of them, for its two parties only."""

from __future__ import annotations

from dataclasses import dataclass

from gallery.inputs import parse_id
from storage import trade_views
from storage.db import Connection
from storage.errors import DomainError, NotFound
from storage.trade_views import Box, TradeView
from storage.trades import TradeStatus

MAX_PAGE = 50
DEFAULT_PAGE = 20


@dataclass(frozen=True)
class TradePage:
    trades: list[TradeView]
    next_cursor: str | None


async def show_trade(conn: Connection, trade_id: int, viewer: int) -> TradeView:
    """The trade, to its proposer or recipient, as they may see it now (objects hidden from
    them since show only the line as proposed); anyone else is told it does not exist."""
    found = await trade_views.trade_view(conn, trade_id, viewer)
    if found is None or viewer not in (found.trade.proposer_id, found.trade.recipient_id):
        raise NotFound(f"trade {trade_id} does not exist")
    return found


def _before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    before = parse_id(cursor)
    if before is None:
        raise DomainError("the cursor is not one this server handed out", code="bad_cursor")
    return before


async def trade_box(
    conn: Connection,
    viewer: int,
    box: Box,
    *,
    status: TradeStatus | None = None,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> TradePage:
    """Newest first: trades proposed to `viewer` (incoming) or by them (outgoing)."""
    rows = await trade_views.list_trades(
        conn, viewer, box, status=status, before_id=_before(cursor), limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    found = await trade_views.trade_views(conn, [r.id for r in rows], viewer)
    return TradePage(found, str(rows[-1].id) if more else None)
