"""The first conversation: /start, /help, deep links, and a friendly word for anything else."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, no_start_payload, payload_prefix
from bot.handlers.share import show_object_link
from bot.texts import label, t
from bot.types import InlineKeyboardAttachmentRequest
from gallery.inputs import parse_id

router = Router("start")
fallback = Router("fallback")


def app_keyboard(
    ctx: Context, label_key: str, start_param: str | None = None
) -> InlineKeyboardAttachmentRequest:
    text = label(label_key, ctx.user.language)
    if start_param is None:
        return ctx.services.identity.app_keyboard(text)
    return keyboards.inline_keyboard([[ctx.services.identity.open_app_button(text, start_param)]])


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
    """An object link: its provenance card, if the person may see it (privacy decides)."""
    await show_object_link(ctx)


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
