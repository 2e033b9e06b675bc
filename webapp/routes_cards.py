"""An object's provenance card and its links, and asking for access from an object link: thin
views over gallery/cards/. The card image is served like every photo file, behind a signed,
expiring /media/ URL (webapp/media_urls.py)."""

from __future__ import annotations

import time
from datetime import timedelta

from aiohttp import web
from pydantic import Field

from gallery.cards import object_card
from gallery.cards.access import ask_for_object
from gallery.cards.messages import send_card_to_self, sent_card_mid
from storage.db import Connection
from storage.models import Language, UserRow
from webapp.object_views import Out, Query
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices

api_route = RouteTable()
OBJECT = "/objects/{object_id:\\d+}"


class CardQuery(Query):
    lang: Language | None = Field(None, description="language of the card's words; default: mine")


class CardOut(Out):
    url: str = Field(description="the card image (WebP), a signed URL that expires")
    version: int = Field(description="the ownership version the card shows")
    app_link: str = Field(description="opens the object in the mini-app (the QR code says this)")
    chat_link: str = Field(description="shows the object's card in the chat with the bot")


class CardMessageOut(Out):
    message_id: int = Field(description="ask GET …/card/messages/{message_id} for its mid")
    mid: str | None = Field(
        None,
        description="MAX's id of the message once sent (absent until then), for shareMaxContent",
    )


class AskOut(Out):
    status: str = Field(description="always `asked_if_possible`, whatever the object is")


@api_route(
    "GET",
    OBJECT + "/card",
    summary="An object's provenance card image and deep links (drawn when the object changed)",
    query=CardQuery,
    response=CardOut,
    auth="optional",
    limit="card",
    errors={404: "not_found: no such object, or not visible to you", 503: "the bot is not running"},
)
async def get_card(
    request: web.Request,
    query: CardQuery,
    user: UserRow | None,
    conn: Connection,
    services: WebServices,
) -> CardOut:
    if services.bot_username is None:
        raise web.HTTPServiceUnavailable(reason="the bot is not running")
    language: Language = query.lang or (user.language if user is not None else "en")
    card = await object_card(
        conn, services.store, services.image_pools.views,
        object_id=path_id(request, "object_id"), viewer=user.id if user else None,
        language=language, bot_username=services.bot_username,
    )  # fmt: skip
    return CardOut(
        url=services.signer.url_for_key(card.photo_id, card.storage_key, time.time()),
        version=card.version, app_link=card.links.app_link, chat_link=card.links.chat_link,
    )  # fmt: skip


@api_route(
    "POST",
    OBJECT + "/card/messages",
    summary="The bot sends the card into my chat with it (to share that message by its mid)",
    response=CardMessageOut,
    status=202,
    limit="card",
    errors={404: "not_found: no such object, or not visible to you", 409: "bot_unreachable"},
)
async def send_card_message(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> CardMessageOut:
    if services.bot_username is None:
        raise web.HTTPServiceUnavailable(reason="the bot is not running")
    card = await object_card(
        conn, services.store, services.image_pools.views,
        object_id=path_id(request, "object_id"), viewer=user.id, language=user.language,
        bot_username=services.bot_username,
    )  # fmt: skip
    return CardMessageOut(message_id=await send_card_to_self(conn, user.id, card), mid=None)


@api_route(
    "GET",
    OBJECT + "/card/messages/{message_id:\\d+}",
    summary="Whether the bot's card message reached my chat, and its mid",
    response=CardMessageOut,
    errors={404: "not_found: no card of this object was sent to me with this id"},
)
async def card_message(request: web.Request, user: UserRow, conn: Connection) -> CardMessageOut:
    """`mid` stays null while the message is on its way; 404 for an id that is not mine."""
    object_id, message_id = path_id(request, "object_id"), path_id(request, "message_id")
    mid = await sent_card_mid(conn, user.id, object_id, message_id)
    return CardMessageOut(message_id=message_id, mid=mid)


@api_route(
    "POST",
    OBJECT + "/access-requests",
    summary="Ask the owner of an object I cannot see for access to their collection",
    response=AskOut,
    status=202,
    limit="profile_request",
    errors={404: "not_found: a path id that is not digits matches no route"},
)
async def ask_for_access(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> AskOut:
    ttl = timedelta(days=services.settings.rules.profile_request_ttl_days)
    await ask_for_object(conn, user.id, path_id(request, "object_id"), ttl)
    return AskOut(status="asked_if_possible")


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
