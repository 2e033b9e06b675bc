"""Trades over the API: thin views over gallery/trades/."""

from __future__ import annotations

import time
from datetime import datetime

from aiohttp import web
from pydantic import Field

from gallery.trades import accept, closing, proposals, rules
from gallery.trades import view as trade_views
from storage.db import Connection
from storage.models import UserRow
from storage.trade_views import Box, ItemDetail, TradeView
from storage.trades import TradeStatus
from webapp.inputs import BodyIn, Id, QueryIn, Version
from webapp.media_urls import MediaSigner
from webapp.object_views import Out, Person
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices

api_route = RouteTable()
TRADE = "/trades/{trade_id:\\d+}"
NOT_FOUND = {404: "not_found: no such offer, or not yours"}
CLOSED = "offer_<status>: the offer is no longer pending (its state is in the code)"
REFUSALS = {
    400: "self_offer, empty_offer, duplicate_item, too_many_items or an invalid body",
    404: "recipient_not_found, object_not_found (or not visible to you)",
    409: "not_your_object, not_their_object, duplicate_offer, too_many_open_offers",
}


class Sides(BodyIn):
    give: list[Id] = Field(
        default_factory=list, max_length=rules.ITEMS_MAX, description="my objects I give"
    )
    take: list[Id] = Field(
        default_factory=list, max_length=rules.ITEMS_MAX, description="their objects I take"
    )
    message: str = Field("", max_length=rules.MESSAGE_MAX)


class OfferIn(Sides):
    recipient_id: Id


class AcceptIn(BodyIn):
    version: Version = Field(description="the version of the offer as you saw it")


class BoxQuery(QueryIn):
    box: Box = "incoming"
    status: TradeStatus | None = None
    limit: int = Field(trade_views.DEFAULT_PAGE, ge=1, le=trade_views.MAX_PAGE)
    cursor: str | None = Field(
        None, pattern="^[0-9]{1,18}$", description="next_cursor of the last page"
    )


class Thumb(Out):
    thumb: str


class TradeItemOut(Out):
    id: int | None = Field(description="the object; null once it was deleted")
    title: str = Field(description="the title the offer was made with")
    visible: bool = Field(
        description="false when the object is now hidden from you or deleted: then only the "
        "line as offered is shown, without owner, placeholder or image"
    )
    owner: Person | None = Field(description="who owns it now")
    owner_at_offer: int = Field(description="whose it was when the offer was made")
    placeholder: str | None
    media: Thumb | None


class TradeOut(Out):
    id: int
    status: TradeStatus
    status_reason: str | None
    version: int = Field(description="send it back to accept")
    message: str
    proposer: Person
    recipient: Person
    parent_id: int | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    give: list[TradeItemOut] = Field(description="the proposer's objects")
    take: list[TradeItemOut] = Field(description="the recipient's objects")


class TradePageOut(Out):
    items: list[TradeOut]
    next_cursor: str | None


def item_out(item: ItemDetail, signer: MediaSigner, now: float) -> TradeItemOut:
    """A line; only what the viewer may see now is named or signed."""
    owner = media = None
    if item.visible and item.current_owner_id is not None and item.photo_id is not None:
        owner = Person(id=item.current_owner_id, name=item.current_owner_name or "—")
        media = Thumb(thumb=signer.url_for_key(item.photo_id, item.thumb_key or "", now))
    return TradeItemOut(
        id=item.object_id, title=item.title, visible=media is not None, owner=owner,
        owner_at_offer=item.owner_id, placeholder=item.placeholder if media else None,
        media=media,
    )  # fmt: skip


def trade_out(view: TradeView, signer: MediaSigner, now: float) -> TradeOut:
    t, names = view.trade, view.names
    give = [item_out(i, signer, now) for i in view.items if i.side == "give"]
    take = [item_out(i, signer, now) for i in view.items if i.side == "take"]
    return TradeOut(
        id=t.id, status=t.status, status_reason=t.status_reason, version=t.version,
        message=t.message, parent_id=t.parent_id, created_at=t.created_at,
        expires_at=t.expires_at, decided_at=t.decided_at,
        proposer=Person(id=t.proposer_id, name=names.get(t.proposer_id, "—")),
        recipient=Person(id=t.recipient_id, name=names.get(t.recipient_id, "—")),
        give=give, take=take,
    )  # fmt: skip


def _trade_id(request: web.Request) -> int:
    return path_id(request, "trade_id")


async def _show(conn: Connection, services: WebServices, trade_id: int, viewer: int) -> TradeOut:
    view = await trade_views.show_trade(conn, trade_id, viewer)
    return trade_out(view, services.signer, time.time())


@api_route(
    "POST",
    "/trades",
    summary="Offer my objects for theirs",
    body=OfferIn,
    response=TradeOut,
    status=201,
    errors=REFUSALS,
)
async def create_trade(
    request: web.Request, body: OfferIn, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    draft = rules.TradeDraft(body.recipient_id, body.give, body.take, body.message)
    trade = await proposals.propose_trade(conn, services.settings.rules, user.id, draft)
    return await _show(conn, services, trade.id, user.id)


@api_route(
    "GET",
    "/trades",
    summary="Offers made to me (incoming) or by me (outgoing)",
    query=BoxQuery,
    response=TradePageOut,
    errors={400: "bad_cursor or invalid query"},
)
async def list_trades(
    request: web.Request, query: BoxQuery, user: UserRow, conn: Connection, services: WebServices
) -> TradePageOut:
    page = await trade_views.trade_box(
        conn, user.id, query.box, status=query.status, limit=query.limit, cursor=query.cursor
    )
    signer, now = services.signer, time.time()
    return TradePageOut(
        items=[trade_out(v, signer, now) for v in page.offers], next_cursor=page.next_cursor
    )


@api_route(
    "GET",
    TRADE,
    summary="One offer, to its proposer or recipient",
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
    summary="The recipient accepts: the objects swap owners",
    body=AcceptIn,
    response=TradeOut,
    errors={**NOT_FOUND, 403: "not_recipient", 409: f"stale_version, ownership_changed, {CLOSED}"},
)
async def accept_trade(
    request: web.Request, body: AcceptIn, user: UserRow, conn: Connection, services: WebServices
) -> TradeOut:
    offer = await accept.accept_trade(conn, _trade_id(request), user.id, body.version)
    return trade_out(offer, services.signer, time.time())


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
    summary="The proposer withdraws the offer",
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
    summary="The recipient answers with a new offer; the old one becomes countered",
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
