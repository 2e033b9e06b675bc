"""The first conversation: /start, /help, deep links, and a friendly word for anything else."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, no_start_payload, payload_prefix
from bot.texts import t
from bot.types import InlineKeyboardAttachmentRequest
from storage.models import UserRow
from storage.users import get_user

router = Router("start")
fallback = Router("fallback")


def app_keyboard(
    ctx: Context, label_key: str, start_param: str | None = None
) -> InlineKeyboardAttachmentRequest:
    identity = ctx.services.identity
    button = keyboards.open_app(
        t(label_key, ctx.user.language),
        identity.username,
        payload=start_param,
        contact_id=identity.user_id,
    )
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
    object_id = _int_after(ctx.start_payload, "o_")
    row = (
        None
        if object_id is None
        else await ctx.conn.fetchrow(
            "SELECT o.id, o.title, o.owner_id FROM art_objects o WHERE o.id = $1", object_id
        )
    )
    if row is None:
        await ctx.reply(t("link_invalid", ctx.user.language))
        return
    owner = await get_user(ctx.conn, row["owner_id"])
    text = t("object_card", ctx.user.language, title=row["title"], owner=_name(owner))
    await ctx.reply(text, keyboard=app_keyboard(ctx, "open_object", f"o_{object_id}"))


@router.bot_started(payload_prefix("u_"))
async def started_for_profile(ctx: Context) -> None:
    user_id = _int_after(ctx.start_payload, "u_")
    person = None if user_id is None else await get_user(ctx.conn, user_id)
    if person is None:
        await ctx.reply(t("link_invalid", ctx.user.language))
        return
    count = await ctx.conn.fetchval("SELECT count(*) FROM art_objects WHERE owner_id = $1", user_id)
    text = t("profile_card", ctx.user.language, name=_name(person), count=count)
    await ctx.reply(text, keyboard=app_keyboard(ctx, "open_profile", f"u_{user_id}"))


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


def _int_after(payload: str | None, prefix: str) -> int | None:
    digits = (payload or "")[len(prefix) :]
    return int(digits) if digits.isdigit() and len(digits) <= 19 else None


def _name(user: UserRow | None) -> str:
    return user.display_name if user is not None else "—"
