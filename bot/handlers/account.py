"""Leaving with your data in the chat: /export queues an archive that arrives as a file,
/delete warns with the counts and a one-time Confirm button bound to them."""

from __future__ import annotations

from datetime import timedelta
from math import ceil

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, callback_action
from bot.markup import message_body
from bot.payloads import decode, encode
from bot.texts import label, t
from gallery.account import deletion, exports
from gallery.account.deletion import DeletionChanged, DeletionTokenRefused
from gallery.account.exports import ExportTooLarge
from gallery.limits import RateLimited

router = Router("account")
CONFIRM, KEEP = "ad", "ak"


@router.message(Command("export"))
async def export_command(ctx: Context) -> None:
    account, language = ctx.services.settings.account, ctx.user.language
    try:
        await exports.request_export(ctx.conn, ctx.user.id, "chat", account)
    except RateLimited as exc:
        minutes = max(1, ceil(exc.retry_after_s / 60))
        every = account.export_every_minutes
        await ctx.reply(t("export.too_soon", language, every=every, minutes=minutes))
        return
    except ExportTooLarge:
        await ctx.reply(t("export.too_large", language, cap=account.export_max_bytes // 10**6))
        return
    await ctx.reply(t("export.queued", language))


@router.message(Command("delete"))
async def delete_command(ctx: Context) -> None:
    minutes = ctx.services.settings.account.delete_confirm_minutes
    warning = await deletion.warn(ctx.conn, ctx.user.id, timedelta(minutes=minutes))
    language, shown = ctx.user.language, warning.summary
    text = t(
        "delete.warning", language, owned=shown.owned_objects, trades=shown.open_trades,
        transfers=shown.open_transfers, requests=shown.open_requests, minutes=minutes,
    )  # fmt: skip
    keyboard = keyboards.inline_keyboard([
        [keyboards.callback(label("delete.confirm", language), encode(CONFIRM, warning.token))],
        [keyboards.callback(label("delete.keep", language), encode(KEEP))],
    ])  # fmt: skip
    await ctx.reply(text, keyboard=keyboard)


@router.callback(callback_action(CONFIRM))
async def confirm_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    token = payload.args[0] if payload and payload.args else ""
    language = ctx.user.language
    try:
        await deletion.confirm(ctx.conn, ctx.services.store, ctx.user.id, token)
    except DeletionTokenRefused:
        await ctx.answer(notification=label("delete.invalid", language))
        return
    except DeletionChanged:
        await ctx.answer(notification=label("delete.changed", language))
        return
    # the person's row is gone: the answer goes to the chat, replacing the warning
    done = t("delete.done", language)
    await ctx.answer(notification=label("delete.done", language),
                     message=message_body(done, attachments=[]))  # fmt: skip


@router.callback(callback_action(KEEP))
async def keep_pressed(ctx: Context) -> None:
    kept = t("delete.kept", ctx.user.language)
    await ctx.answer(message=message_body(kept, attachments=[]))
