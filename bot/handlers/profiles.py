"""Profiles in the chat: the u_ deep link, asking for access, /privacy and /requests."""

from __future__ import annotations

from datetime import timedelta

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, callback_action, payload_prefix
from bot.handlers.start import int_after
from bot.markup import Markup, message_body, sanitize
from bot.notices.profiles import request_buttons
from bot.payloads import decode, encode
from bot.texts import label, t
from bot.types import Button, InlineKeyboardAttachmentRequest
from gallery.profiles import privacy, requests
from storage.errors import DomainError, NotFound
from storage.models import Privacy
from storage.profiles import ProfileFacts

router = Router("profiles")
LEVELS: tuple[Privacy, ...] = ("public", "approved", "private")


@router.bot_started(payload_prefix("u_"))
async def started_for_profile(ctx: Context) -> None:
    user_id = int_after(ctx.start_payload, "u_")
    try:
        if user_id is None:
            raise NotFound("no user id")
        facts = await privacy.profile(ctx.conn, user_id, ctx.user.id)
    except NotFound:
        await ctx.reply(t("link_invalid", ctx.user.language))
        return
    text, keyboard = profile_card(ctx, facts)
    await ctx.reply(text, keyboard=keyboard)


def profile_card(
    ctx: Context, facts: ProfileFacts
) -> tuple[Markup, InlineKeyboardAttachmentRequest]:
    language, name = ctx.user.language, facts.user.display_name
    open_button = ctx.services.identity.open_app_button(
        label("open_profile", language), f"u_{facts.user.id}"
    )
    keyboard = keyboards.inline_keyboard([[open_button]])
    if facts.can_view:
        owned, created = facts.owned or 0, facts.created or 0  # counted: the viewer may see
        text = t("profile.card_open", language, name=name, owned=owned, created=created)
        return text, keyboard
    if facts.user.privacy == "private":
        return t("profile.card_private", language, name=name), keyboard
    ask = keyboards.callback(label("profile.ask", language), encode("ra", facts.user.id))
    rows: list[list[Button]] = [[ask], [open_button]]
    return t("profile.card_locked", language, name=name), keyboards.inline_keyboard(rows)


@router.callback(callback_action("ra"))
async def ask_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    target = payload.int_arg() if payload else None
    ttl = timedelta(days=ctx.services.settings.rules.profile_request_ttl_days)
    try:
        if target is None:
            raise NotFound("no user id")
        await requests.request_access(ctx.conn, ctx.user.id, target, ttl)
    except DomainError as exc:
        await ctx.answer(notification=sanitize(exc.detail))
        return
    await ctx.answer(notification=label("profile.asked", ctx.user.language))


@router.callback(callback_action("pa", "pd"))
async def decision_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    request_id = payload.int_arg() if payload else None
    approving = payload is not None and payload.action == "pa"
    act = requests.approve if approving else requests.decline
    try:
        if request_id is None:
            raise NotFound("no request id")
        decided = await act(ctx.conn, request_id, ctx.user.id)
    except DomainError:
        await ctx.answer(notification=label("stale_button", ctx.user.language))
        return
    key = "profile.done_approved" if approving else "profile.done_declined"
    values = {"name": decided.requester_name}
    await ctx.answer(
        notification=label(key, ctx.user.language, **values),
        message=message_body(t(key, ctx.user.language, **values), attachments=[]),
    )


@router.message(Command("privacy"))
async def privacy_command(ctx: Context) -> None:
    await ctx.reply(privacy_text(ctx, ctx.user.privacy), keyboard=privacy_keyboard(ctx))


@router.callback(callback_action("pv"))
async def privacy_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    chosen = payload.args[0] if payload and payload.args else ""
    level = next((known for known in LEVELS if known == chosen), None)
    if level is None:
        await ctx.answer(notification=label("stale_button", ctx.user.language))
        return
    user = await privacy.change_privacy(ctx.conn, ctx.user.id, level)
    body = message_body(privacy_text(ctx, user.privacy), attachments=[privacy_keyboard(ctx)])
    await ctx.answer(notification=label("privacy.changed", ctx.user.language), message=body)


def privacy_text(ctx: Context, level: Privacy) -> Markup:
    language = ctx.user.language
    return t("privacy.current", language, level=t(f"privacy.{level}", language))


def privacy_keyboard(ctx: Context) -> InlineKeyboardAttachmentRequest:
    language = ctx.user.language
    rows = [[keyboards.callback(label(f"privacy.{level}", language), encode("pv", level))]
            for level in LEVELS]  # fmt: skip
    return keyboards.inline_keyboard(rows)


@router.message(Command("requests"))
async def requests_command(ctx: Context) -> None:
    pending = await requests.requests(ctx.conn, ctx.user.id, "incoming", pending_only=True)
    language = ctx.user.language
    if not pending:
        await ctx.reply(t("requests.none", language))
        return
    for request in pending[:10]:
        text = t("requests.one", language, name=request.requester_name)
        await ctx.reply(
            text, keyboard=keyboards.inline_keyboard(request_buttons(request.id, language))
        )
