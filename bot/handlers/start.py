"""The first conversation: /start, /help, deep links, and a friendly word for anything else."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, no_start_payload, payload_prefix
from bot.handlers.reports import report_button
from bot.texts import label, t
from bot.types import Button, InlineKeyboardAttachmentRequest
from gallery.inputs import parse_id
from storage.errors import NotFound
from storage.objects import get_object_detail

router = Router("start")
fallback = Router("fallback")


def app_keyboard(
    ctx: Context, label_key: str, start_param: str | None = None
) -> InlineKeyboardAttachmentRequest:
    button = ctx.services.identity.open_app_button(label(label_key, ctx.user.language), start_param)
    return keyboards.inline_keyboard([[button]])


async def greet(ctx: Context) -> None:
    text = t("greeting", ctx.user.language, name=ctx.user.first_name or ctx.user.display_name)
    await ctx.reply(text, keyboard=app_keyboard(ctx, "open_gallery"))


@router.message(Command("start"))
async def start_command(ctx: Context) -> None:
    await greet(ctx)


@router.message(Command("help"))
async def help_command(ctx: Context) -> None:
    await ctx.reply(t("help", ctx.user.language), keyboard=app_keyboard(ctx, "open_gallery"))


@router.bot_started(no_start_payload)
async def started_plain(ctx: Context) -> None:
    await greet(ctx)


@router.bot_started(payload_prefix("o_"))
async def started_for_object(ctx: Context) -> None:
    """An object link: its card, if the person may see it (privacy decides, as everywhere)."""
    object_id = int_after(ctx.start_payload, "o_")
    try:
        if object_id is None:
            raise NotFound("no object id")
        detail = await get_object_detail(ctx.conn, object_id, ctx.user.id)
    except NotFound:
        await ctx.reply(t("link_invalid", ctx.user.language))
        return
    text = t("object_card", ctx.user.language, title=detail.title, owner=detail.owner_name)
    keyboard = card_keyboard(ctx, object_id, mine=detail.owner_id == ctx.user.id)
    await ctx.reply(text, keyboard=keyboard)


def card_keyboard(ctx: Context, object_id: int, *, mine: bool) -> InlineKeyboardAttachmentRequest:
    """Open, and for anyone but the owner, Report."""
    language = ctx.user.language
    rows: list[list[Button]] = [
        [ctx.services.identity.open_app_button(label("open_object", language), f"o_{object_id}")]
    ]
    if not mine:
        rows.append([report_button(object_id, language)])
    return keyboards.inline_keyboard(rows)


@router.bot_started()
async def started_with_unknown_payload(ctx: Context) -> None:
    await greet(ctx)


@fallback.message()
async def not_understood(ctx: Context) -> None:
    await ctx.reply(t("not_understood", ctx.user.language))


async def apologise(ctx: Context, exc: Exception) -> None:
    """The one error handler: the failure is already logged; the person gets a polite word."""
    if ctx.user_ is not None and ctx.chat_id is not None:
        await ctx.reply(t("error", ctx.user.language))


def int_after(payload: str | None, prefix: str) -> int | None:
    return parse_id((payload or "")[len(prefix) :])
