"""SQL that reads trades for their two people: a box of them, one whole, the people's names.

What the viewer may no longer see of a line comes back NULL here, in the statement, so no caller
can forget to hide it. The writes are storage/trades.py.
"""

from __future__ import annotations

from typing import Literal

import asyncpg

from storage.db import Connection
from storage.models import Row
from storage.objects import OWNER_NAME, object_visible_to
from storage.trades import TRADE_COLUMNS, TradeItem, TradeRow, TradeStatus, trade_row

Box = Literal["incoming", "outgoing"]


class ItemDetail(TradeItem):
    """A line as the viewer may see it now: where its object is hidden from them (or gone),
    everything but the line itself (the title both people were shown) is None."""

    visible: bool
    current_owner_id: int | None
    current_owner_name: str | None
    photo_id: int | None
    thumb_key: str | None
    placeholder: str | None


class TradeView(Row):
    """A trade as its parties see it: both sides' objects and the people by name."""

    trade: TradeRow
    names: dict[int, str]
    items: list[ItemDetail]


LIST = f"""
SELECT {TRADE_COLUMNS} FROM trades t
WHERE (CASE WHEN $2 = 'incoming' THEN t.recipient_id ELSE t.proposer_id END) = $1
  AND ($3::text IS NULL OR t.status = $3) AND ($4::bigint IS NULL OR t.id < $4)
ORDER BY t.id DESC LIMIT $5
"""


async def list_trades(
    conn: Connection,
    user_id: int,
    box: Box,
    *,
    status: TradeStatus | None,
    before_id: int | None,
    limit: int,
) -> list[TradeRow]:
    rows = await conn.fetch(LIST, user_id, box, status, before_id, limit)
    return [trade_row(r) for r in rows]


# One row per line, each carrying its trade and both parties' names: a whole view in one trip.
# What the viewer may not see now (the owner went private, the object moved to someone private,
# or it was deleted) comes back NULL: only the line as proposed, with the title both saw, is left.
TRADE_LINES = f"""
SELECT {TRADE_COLUMNS}, t.id AS trade_id,
       {OWNER_NAME.replace("u.", "pu.")} AS proposer_name,
       {OWNER_NAME.replace("u.", "ru.")} AS recipient_name,
       i.object_id, i.side, i.owner_id, i.title, v.visible,
       CASE WHEN v.visible THEN o.owner_id END AS current_owner_id,
       CASE WHEN v.visible THEN {OWNER_NAME} END AS current_owner_name,
       CASE WHEN v.visible THEN p.id END AS photo_id,
       CASE WHEN v.visible THEN p.thumb_key END AS thumb_key,
       CASE WHEN v.visible THEN p.placeholder END AS placeholder
FROM trades t
JOIN users pu ON pu.id = t.proposer_id
JOIN users ru ON ru.id = t.recipient_id
JOIN trade_items i ON i.trade_id = t.id
LEFT JOIN art_objects o ON o.id = i.object_id
LEFT JOIN photos p ON p.id = o.photo_id
LEFT JOIN users u ON u.id = o.owner_id
CROSS JOIN LATERAL (
    SELECT o.id IS NOT NULL AND {object_visible_to("o", "u", "$2")} AS visible) v
WHERE {{where}}
ORDER BY t.id DESC, i.side, i.title, i.id
"""
# `t.id = $1` keeps one generic plan per connection; ANY($1) is planned afresh on every call
TRADE_ONE = TRADE_LINES.format(where="t.id = $1")
TRADE_MANY = TRADE_LINES.format(where="t.id = ANY($1::bigint[])")


async def trade_view(conn: Connection, trade_id: int, viewer: int) -> TradeView | None:
    """The trade as `viewer` may see it (the caller checks they are one of its parties)."""
    found = _trade_views(await conn.fetch(TRADE_ONE, trade_id, viewer))
    return found[0] if found else None


async def trade_views(conn: Connection, trade_ids: list[int], viewer: int) -> list[TradeView]:
    """Trades with their lines and parties as `viewer` may see them, newest first."""
    return _trade_views(await conn.fetch(TRADE_MANY, trade_ids, viewer))


def _trade_views(records: list[asyncpg.Record]) -> list[TradeView]:
    trades: dict[int, TradeRow] = {}
    names: dict[int, dict[int, str]] = {}
    items: dict[int, list[ItemDetail]] = {}
    for record in records:
        row = dict(record)
        if row["id"] not in trades:
            trade = trades[row["id"]] = TradeRow.model_validate(row)
            names[trade.id] = {
                trade.proposer_id: row["proposer_name"],
                trade.recipient_id: row["recipient_name"],
            }
            items[trade.id] = []
        items[row["id"]].append(ItemDetail.model_validate(row))
    return [TradeView(trade=t, names=names[i], items=items[i]) for i, t in trades.items()]


async def names(conn: Connection, user_ids: list[int]) -> dict[int, str]:
    """Display names of people, by id."""
    rows = await conn.fetch(
        f"SELECT u.id, {OWNER_NAME} AS name FROM users u WHERE u.id = ANY($1::bigint[])",
        user_ids,
    )
    return {r["id"]: r["name"] for r in rows}
