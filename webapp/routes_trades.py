"""Trades over the API: thin views over gallery/trades/."""

from __future__ import annotations

import time

from aiohttp import web

from gallery.trades import accept, closing, proposals, rules
from gallery.trades.view import show_trade, trade_box
from storage.db import Connection
from storage.models import UserRow
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices
from webapp.trade_views import AcceptIn, BoxQuery, Sides, TradeIn, TradeOut, TradePageOut, trade_out

api_route = RouteTable()
TRADE = "/trades/{trade_id:\\d+}"
NOT_FOUND = {404: "not_found: no such trade, or not yours"}
CLOSED = "trade_<status>: the trade is no longer pending (its state is in the code)"
REFUSALS = {
    400: "self_trade, empty_trade, duplicate_item, too_many_items or an invalid body",
    404: "recipient_not_found, object_not_found (or not visible to you)",
    409: "not_your_object, not_their_object, hidden_from_recipient, trade_to_person_pending, "
    "too_many_open_trades, object_on_hold (an object on either side was received by a trade or "
    "transfer too recently, docs/holds.md)",
}


def _trade_id(request: web.Request) -> int:
    return path_id(request, "trade_id")


async def _show(conn: Connection, services: WebServices, trade_id: int, viewer: int) -> TradeOut:
    view = await show_trade(conn, trade_id, viewer)
    return trade_out(view, services.signer, time.time())


@api_route(
    "POST",
    "/trades",
    summary="Propose a trade: my objects for theirs",
    limit="trade",
    body=TradeIn,
    response=TradeOut,
    status=201,
    errors=REFUSALS,
)
async def create_trade(
    request: web.Request, body: TradeIn, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    draft = rules.TradeDraft(body.recipient_id, body.give, body.take, body.message)
    trade = await proposals.propose_trade(conn, services.settings.rules, user.id, draft)
    return await _show(conn, services, trade.id, user.id)


@api_route(
    "GET",
    "/trades",
    summary="Trades proposed to me (incoming) or by me (outgoing)",
    query=BoxQuery,
    response=TradePageOut,
    errors={400: "bad_cursor or invalid query"},
)
async def list_trades(
    request: web.Request, query: BoxQuery, user: UserRow, conn: Connection, services: WebServices
) -> TradePageOut:
    page = await trade_box(
        conn, user.id, query.box, status=query.status, limit=query.limit, cursor=query.cursor
    )
    signer, now = services.signer, time.time()
    return TradePageOut(
        items=[trade_out(v, signer, now) for v in page.trades], next_cursor=page.next_cursor
    )


@api_route(
    "GET",
    TRADE,
    summary="One trade, to its proposer or recipient",
    response=TradeOut,
    errors=NOT_FOUND,
)
async def get_trade(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    return await _show(conn, services, _trade_id(request), user.id)


@api_route(
    "POST",
    TRADE + "/accept",
    summary="The recipient accepts: each side's objects go to the other",
    body=AcceptIn,
    response=TradeOut,
    errors={**NOT_FOUND, 403: "not_recipient", 409: f"stale_version, ownership_changed, {CLOSED}"},
)
async def accept_trade(
    request: web.Request, body: AcceptIn, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    view = await accept.accept_trade(conn, _trade_id(request), user.id, body.version)
    return trade_out(view, services.signer, time.time())


@api_route(
    "POST",
    TRADE + "/decline",
    summary="The recipient declines",
    response=TradeOut,
    errors={**NOT_FOUND, 403: "not_recipient", 409: CLOSED},
)
async def decline_trade(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    await closing.decline_trade(conn, _trade_id(request), user.id)
    return await _show(conn, services, _trade_id(request), user.id)


@api_route(
    "POST",
    TRADE + "/cancel",
    summary="The proposer withdraws the trade",
    response=TradeOut,
    errors={**NOT_FOUND, 403: "not_proposer", 409: CLOSED},
)
async def cancel_trade(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    await closing.cancel_trade(conn, _trade_id(request), user.id)
    return await _show(conn, services, _trade_id(request), user.id)


@api_route(
    "POST",
    TRADE + "/counter",
    summary="The recipient answers with a new trade; the old one becomes countered",
    limit="trade",
    body=Sides,
    response=TradeOut,
    status=201,
    errors={
        **REFUSALS,
        404: "not_found, object_not_found",
        403: "not_recipient",
        409: f"{REFUSALS[409]}, {CLOSED}",
    },
)
async def counter_trade(
    request: web.Request, body: Sides, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    trade = await proposals.counter_trade(
        conn, services.settings.rules, _trade_id(request), user.id, give=body.give,
        take=body.take, message=body.message,
    )  # fmt: skip
    return await _show(conn, services, trade.id, user.id)


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
