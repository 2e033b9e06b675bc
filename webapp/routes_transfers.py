"""Transfers over the API: thin views over gallery/transfers/ (models: webapp/transfer_views.py).

The token of a QR transfer is in the create response once and nowhere else. The owner's client
shows the QR from `qr_png_url`, which carries the token back: the server keeps only its hash,
so the PNG is drawn from what the owner presents, after checking it against that hash.
"""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from urllib.parse import quote

from aiohttp import web

from gallery.transfers import closing, create
from gallery.transfers import view as transfer_views
from gallery.transfers.claims import accept_direct, claim_by_token
from gallery.transfers.qr import TransferLinks, qr_png, transfer_links
from storage.db import Connection
from storage.models import UserRow
from storage.transfers import TransferView
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices
from webapp.transfer_views import (
    BoxQuery,
    CreatedOut,
    QrQuery,
    TokenIn,
    TransferIn,
    TransferList,
    TransferOut,
    transfer_out,
)

api_route = RouteTable()
TRANSFER = "/transfers/{transfer_id:\\d+}"
NOT_FOUND = "transfer_not_found: no such transfer, not yours, or a token never handed out"
CLOSED = (
    "transfer_cancelled, transfer_expired, transfer_declined, transfer_invalidated: "
    "no longer pending"
)
CLAIM_ERRORS = {
    404: NOT_FOUND,
    409: "transfer_claimed, own_transfer, ownership_changed",
    410: CLOSED,
}


def _out(services: WebServices, view: TransferView) -> TransferOut:
    return transfer_out(view, services.signer, time.time())


def _links(services: WebServices, token: str) -> TransferLinks | None:
    username = services.bot_username
    return transfer_links(username, token) if username is not None else None


def _transfer_id(request: web.Request) -> int:
    return path_id(request, "transfer_id")


@api_route(
    "POST",
    "/transfers",
    summary="Offer one of my objects: by QR code, or to a named person",
    limit="transfer",
    body=TransferIn,
    response=CreatedOut,
    status=201,
    errors={
        400: "own_transfer, unknown_receiver or an invalid body",
        403: "not_owner: the object is not yours",
        404: "not_found: no such object",
        409: "transfer_pending: the object has a pending transfer (cancel it, or replace); "
        "hidden: an operator hid the object; "
        "object_on_hold: received by a trade or transfer too recently (docs/holds.md)",
    },
)
async def create_transfer(
    request: web.Request, body: TransferIn, user: UserRow, conn: Connection, services: WebServices
) -> CreatedOut:
    ttl = timedelta(minutes=services.settings.rules.transfer_ttl_minutes)
    created = await create.create_transfer(
        conn, user.id, body.object_id, ttl=ttl, to_user=body.to_user_id, replace=body.replace,
        hold_hours=services.settings.rules.hold_hours,
    )  # fmt: skip
    out = _out(services, created.transfer).model_dump(by_alias=True)
    token = created.token
    links = _links(services, token) if token is not None else None
    qr_url = None
    if token is not None and links is not None:
        qr_url = f"/api/transfers/{created.transfer.id}/qr.png?token={quote(token)}"
    return CreatedOut.model_validate({
        **out, "token": token, "deep_link": links.deep_link if links else None,
        "app_link": links.app_link if links else None, "qr_png_url": qr_url,
    })  # fmt: skip


@api_route(
    "GET",
    TRANSFER + "/qr.png",
    summary="The QR code of my pending QR transfer, as a PNG (I present its token)",
    query=QrQuery,
    errors={404: NOT_FOUND, 409: "transfer_claimed", 410: CLOSED},
)
async def transfer_qr(
    request: web.Request, query: QrQuery, user: UserRow, conn: Connection, services: WebServices
) -> web.Response:
    await transfer_views.owner_qr_transfer(conn, user.id, _transfer_id(request), query.token)
    links = _links(services, query.token)
    if links is None:
        raise web.HTTPServiceUnavailable(reason="the bot is not running")
    png = await asyncio.get_running_loop().run_in_executor(None, qr_png, links.deep_link)
    # the image is the token: never cached, by the client or anything between
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": "no-store"})


@api_route(
    "GET",
    "/transfers/by-token/{token}",
    summary="What a scanned QR code offers (changes nothing)",
    response=TransferOut,
    errors={404: NOT_FOUND, 409: "transfer_claimed", 410: CLOSED},
)
async def preview_transfer(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TransferOut:
    view = await transfer_views.preview_by_token(conn, request.match_info["token"])
    return _out(services, view)


@api_route(
    "POST",
    "/transfers/claim",
    summary="Accept a QR transfer: the object becomes mine",
    limit="transfer",
    body=TokenIn,
    response=TransferOut,
    errors=CLAIM_ERRORS,
)
async def claim_transfer(
    request: web.Request, body: TokenIn, user: UserRow, conn: Connection, services: WebServices
) -> TransferOut:
    view = await claim_by_token(conn, user.id, body.token)
    return _out(services, view)


@api_route(
    "POST",
    TRANSFER + "/accept",
    summary="Accept a direct transfer offered to me",
    response=TransferOut,
    errors=CLAIM_ERRORS,
)
async def accept_transfer(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TransferOut:
    view = await accept_direct(conn, user.id, _transfer_id(request))
    return _out(services, view)


@api_route(
    "POST",
    TRANSFER + "/decline",
    summary="Decline a direct transfer offered to me",
    response=TransferOut,
    errors={404: NOT_FOUND, 409: "transfer_claimed", 410: CLOSED},
)
async def decline_transfer(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TransferOut:
    view = await closing.decline_transfer(conn, user.id, _transfer_id(request))
    return _out(services, view)


@api_route(
    "POST",
    TRANSFER + "/cancel",
    summary="Cancel my pending transfer; its QR code stops working",
    response=TransferOut,
    errors={404: NOT_FOUND, 409: "transfer_claimed", 410: CLOSED},
)
async def cancel_transfer(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> TransferOut:
    view = await closing.cancel_transfer(conn, user.id, _transfer_id(request))
    return _out(services, view)


@api_route(
    "GET",
    "/transfers",
    summary="Transfers offered to me (incoming) or by me (outgoing), newest first",
    query=BoxQuery,
    response=TransferList,
)
async def list_transfers(
    request: web.Request, query: BoxQuery, user: UserRow, conn: Connection, services: WebServices
) -> TransferList:
    views = await transfer_views.list_transfers(conn, user.id, query.box, query.limit)
    signer, now = services.signer, time.time()
    return TransferList(items=[transfer_out(v, signer, now) for v in views])


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
