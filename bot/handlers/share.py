"""Provenance cards in the chat: an `o_` link shows the object's card, Share sends the card as an
image to forward, and a link to an object the person cannot see offers to ask for access.

Whatever stands behind a refused link (no object, a hidden one, a closed collection), the answer
is the same, and so is the answer to asking for access."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import keyboards
from bot.cards import with_hold
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import callback_action
from bot.handlers.reports import report_button
from bot.markup import Markup, message_body
from bot.payloads import decode, encode
from bot.texts import label, t
from bot.types import Button, CallbackButton, InlineKeyboardAttachmentRequest
from gallery.cards import Card, object_card
from gallery.cards.access import ask_for_object
from gallery.cards.links import object_id_in
from storage.cards import CARD_IMAGE
from storage.errors import NotFound
from storage.media import MediaNotFound, MediaUnavailable
from storage.models import Language
from storage.objects import get_object_detail
from storage.outbox_queue import enqueue

log = logging.getLogger(__name__)
router = Router("share")
SHARE = "sh"
ASK = "oa"


def share_button(object_id: int, language: Language) -> CallbackButton:
    return keyboards.callback(label("share.button", language), encode(SHARE, object_id))


async def show_object_link(ctx: Context) -> None:
    """`?start=o_<id>`: the card, if the person may see the object. Without the media store the
    same card goes out as words alone."""
    language = ctx.user.language
    object_id = object_id_in(ctx.start_payload)
    if object_id is None:
        await ctx.reply(t("link_invalid", language))
        return
    try:
        detail = await get_object_detail(ctx.conn, object_id, ctx.user.id)
    except NotFound:
        ask = keyboards.callback(label("share.ask", language), encode(ASK, object_id))
        await ctx.reply(
            t("share.unavailable", language), keyboard=keyboards.inline_keyboard([[ask]])
        )
        return
    text = with_hold(ctx, t("object_card", language, title=detail.title, owner=detail.owner_name),
                     detail.received_at)  # fmt: skip
    keyboard = _card_keyboard(ctx, object_id, mine=detail.owner_id == ctx.user.id)
    try:
        card = await _card(ctx, object_id)
    except (MediaNotFound, MediaUnavailable, OSError, ValueError):
        # a store away or a photo file it cannot find or decode: the object is still shown
        log.warning("object %s: no card image", object_id, exc_info=True)
        await ctx.reply(text, keyboard=keyboard)
        return
    await send_card(ctx, card, text, keyboard)


@router.callback(callback_action(SHARE))
async def share_pressed(ctx: Context) -> None:
    """Share: the card as an image message, with the link in its words (buttons do not travel
    with a forwarded message)."""
    language = ctx.user.language
    object_id = _object_id(ctx)
    try:
        if object_id is None:
            raise NotFound("no object id")
        card = await _card(ctx, object_id)
    except (NotFound, MediaNotFound, MediaUnavailable):
        await ctx.answer(notification=label("share.gone", language))
        return
    await send_card(
        ctx, card, t("share.forward", language, title=card.title, link=card.links.chat_link)
    )
    await ctx.answer(notification=label("share.sent", language))


@router.callback(callback_action(ASK))
async def ask_pressed(ctx: Context) -> None:
    object_id = _object_id(ctx)
    if object_id is not None:
        ttl = timedelta(days=ctx.services.settings.rules.profile_request_ttl_days)
        await ask_for_object(ctx.conn, ctx.user.id, object_id, ttl)
    await ctx.answer(notification=label("share.asked", ctx.user.language))


async def send_card(
    ctx: Context, card: Card, text: Markup, keyboard: InlineKeyboardAttachmentRequest | None = None
) -> None:
    """Queue a message with the card image; the sender uploads it from the media store."""
    body = message_body(text, attachments=[keyboard] if keyboard is not None else None)
    message = body.model_dump(mode="json", exclude_none=True)
    await enqueue(
        ctx.conn, kind="send", body={"message": message, CARD_IMAGE: card.storage_key},
        user_id=ctx.user.id, chat_id=None if ctx.in_group else ctx.chat_id,  # a group: privately
    )  # fmt: skip


async def _card(ctx: Context, object_id: int) -> Card:
    services = ctx.services
    return await object_card(
        ctx.conn, services.store, services.pools.views, object_id=object_id,
        viewer=ctx.user.id, language=ctx.user.language, bot_username=services.identity.username,
    )  # fmt: skip


def _card_keyboard(ctx: Context, object_id: int, *, mine: bool) -> InlineKeyboardAttachmentRequest:
    """Open and Share, and for anyone but the owner, Report."""
    language = ctx.user.language
    open_button = ctx.services.identity.open_app_button(
        label("open_object", language), f"o_{object_id}"
    )
    rows: list[list[Button]] = [[open_button], [share_button(object_id, language)]]
    if not mine:
        rows.append([report_button(object_id, language)])
    return keyboards.inline_keyboard(rows)


def _object_id(ctx: Context) -> int | None:
    payload = decode(ctx.callback_payload)
    return payload.int_arg() if payload is not None else None
