"""Reading offers: one offer, or a box of them, for its two parties only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from gallery.trades import check_role
from storage import trades
from storage.db import Connection
from storage.errors import DomainError, NotFound
from storage.trades import Box, ItemDetail, TradeRow, TradeStatus

MAX_PAGE = 50
DEFAULT_PAGE = 20


@dataclass(frozen=True)
class TradeView:
    trade: TradeRow
    names: dict[int, str]
    items: list[ItemDetail]


@dataclass(frozen=True)
class TradePage:
    offers: list[TradeView]
    next_cursor: str | None


async def views_of(conn: Connection, rows: list[TradeRow]) -> list[TradeView]:
    people = {p for r in rows for p in (r.proposer_id, r.recipient_id)}
    names = await trades.names(conn, sorted(people))
    details = await trades.item_details(conn, [r.id for r in rows])
    by_trade: dict[int, list[ItemDetail]] = defaultdict(list)
    for item in details:
        by_trade[item.trade_id].append(item)
    return [TradeView(r, names, by_trade[r.id]) for r in rows]


async def offer_view(conn: Connection, trade_id: int, viewer: int) -> TradeView:
    try:
        trade = await trades.get_trade(conn, trade_id)
        check_role(trade, viewer, "recipient" if trade.recipient_id == viewer else "proposer")
    except NotFound:
        raise NotFound(f"trade offer {trade_id} does not exist") from None
    [view] = await views_of(conn, [trade])
    return view


def _before(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 19:
        raise DomainError("the cursor is not one this server handed out", code="bad_cursor")
    return int(cursor)


async def offer_box(
    conn: Connection,
    viewer: int,
    box: Box,
    *,
    status: TradeStatus | None = None,
    limit: int = DEFAULT_PAGE,
    cursor: str | None = None,
) -> TradePage:
    """Newest first: offers made to `viewer` (incoming) or by them (outgoing)."""
    rows = await trades.list_trades(
        conn, viewer, box, status=status, before_id=_before(cursor), limit=limit + 1
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return TradePage(await views_of(conn, rows), str(rows[-1].id) if more else None)
