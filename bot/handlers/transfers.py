"""Transfers in the chat: the QR from an object card, a scanned code, Accept / Decline, Cancel.

Opening the bot from a QR code (bot_started with t_<token>) only shows what is offered: nothing
changes until Accept is pressed. Every answer replaces the pressed message with the outcome and
no buttons, so a second press finds nothing to press.

The QR image is generated, not a stored photo: it goes to the outbox as `image_png_b64` and the
sender uploads it with the message (bot/sender.py), then drops it from the row once sent.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot import holds, keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import callback_action, payload_prefix
from bot.markup import Markup, escape, join_lines, message_body, sanitize
from bot.notices.transfers import (
    ACCEPT,
    CANCEL,
    DECLINE,
    SHOW_QR,
    answer_buttons,
    cancel_buttons,
)
from bot.payloads import decode
from bot.texts import TEXTS, label, t
from gallery.ownership.holds import OnHold
from gallery.transfers.buttons import accept_from_button, decline_from_button
from gallery.transfers.closing import cancel_transfer
from gallery.transfers.create import create_transfer
from gallery.transfers.qr import PAYLOAD_PREFIX, qr_png, transfer_links
from gallery.transfers.tokens import accept_verifier
from gallery.transfers.view import preview_by_token
from storage.errors import DomainError
from storage.transfers import TransferView

router = Router("transfers")


def _refusal(ctx: Context, exc: DomainError) -> str:
    """Why it did not happen, as plain text (a toast); `escape` it for a message."""
    if isinstance(exc, OnHold):
        return holds.refusal(ctx.user.language, exc)
    key = f"transfer.refused.{exc.code}"
    return label(key, ctx.user.language) if key in TEXTS else sanitize(exc.detail)


def _pressed(ctx: Context) -> tuple[int | None, str | None]:
    """The id a button names and, on a QR transfer's buttons, the token's verifier."""
    payload = decode(ctx.callback_payload)
    if payload is None:
        return None, None
    return payload.int_arg(0), payload.args[1] if len(payload.args) > 1 else None


async def _replace(ctx: Context, toast: str, text: Markup) -> None:
    await ctx.answer(notification=toast, message=message_body(text, attachments=[]))


@router.bot_started(payload_prefix(PAYLOAD_PREFIX))
async def started_from_qr(ctx: Context) -> None:
    token = (ctx.start_payload or "")[len(PAYLOAD_PREFIX) :]
    try:
        view = await preview_by_token(ctx.conn, token)
    except DomainError as exc:
        await ctx.reply(escape(_refusal(ctx, exc)))
        return
    language = ctx.user.language
    if view.from_user_id == ctx.user.id:
        await ctx.reply(t("transfer.preview_own", language, title=view.title))
        return
    assert view.token_hash is not None
    rows = answer_buttons(view.id, language, accept_verifier(view.token_hash))
    await ctx.reply(
        t("transfer.preview", language, name=view.from_name, title=view.title),
        keyboard=keyboards.inline_keyboard(rows),
        photo={"photo_id": view.photo_id, "key": view.preview_key},
    )


@router.callback(callback_action(SHOW_QR))
async def show_qr_pressed(ctx: Context) -> None:
    object_id, _ = _pressed(ctx)
    minutes = ctx.services.settings.rules.transfer_ttl_minutes
    try:
        if object_id is None:
            raise DomainError("not a transfer button", code="not_found")
        created = await create_transfer(
            ctx.conn, ctx.user.id, object_id, ttl=timedelta(minutes=minutes), replace=True,
            hold_hours=ctx.services.settings.rules.hold_hours,
        )  # fmt: skip
    except DomainError as exc:
        await ctx.answer(notification=_refusal(ctx, exc))
        return
    assert created.token is not None
    link = transfer_links(ctx.services.identity.username, created.token).deep_link
    png = await asyncio.get_running_loop().run_in_executor(None, qr_png, link)
    await ctx.answer(notification=label("transfer.qr_toast", ctx.user.language))
    await _send_qr(ctx, created.transfer, png, minutes)


async def _send_qr(ctx: Context, transfer: TransferView, png: bytes, minutes: int) -> None:
    language = ctx.user.language
    keyboard = keyboards.inline_keyboard(cancel_buttons(transfer.id, language))
    text = t("transfer.qr", language, title=transfer.title, minutes=minutes)
    await ctx.reply(text, keyboard=keyboard, png=png)


@router.callback(callback_action(CANCEL))
async def cancel_pressed(ctx: Context) -> None:
    transfer_id, _ = _pressed(ctx)
    language = ctx.user.language
    try:
        if transfer_id is None:
            raise DomainError("not a transfer button", code="transfer_not_found")
        view = await cancel_transfer(ctx.conn, ctx.user.id, transfer_id)
    except DomainError as exc:
        await ctx.answer(notification=_refusal(ctx, exc))
        return
    text = t("transfer.cancelled", language, title=view.title)
    await _replace(ctx, label("transfer.cancelled_toast", language), text)


@router.callback(callback_action(ACCEPT))
async def accept_pressed(ctx: Context) -> None:
    transfer_id, verifier = _pressed(ctx)
    language = ctx.user.language
    try:
        if transfer_id is None:
            raise DomainError("not a transfer button", code="transfer_not_found")
        view = await accept_from_button(ctx.conn, ctx.user.id, transfer_id, verifier)
    except DomainError as exc:
        await _replace(ctx, _refusal(ctx, exc), escape(_refusal(ctx, exc)))
        return
    text = t("transfer.accepted", language, title=view.title)
    hold = holds.received_line(language, ctx.services.settings.rules.hold_hours)
    text = text if hold is None else join_lines([text, hold])
    await _replace(ctx, label("transfer.accepted_toast", language), text)


@router.callback(callback_action(DECLINE))
async def decline_pressed(ctx: Context) -> None:
    transfer_id, verifier = _pressed(ctx)
    language = ctx.user.language
    try:
        if transfer_id is None:
            raise DomainError("not a transfer button", code="transfer_not_found")
        view = await decline_from_button(ctx.conn, ctx.user.id, transfer_id, verifier)
    except DomainError as exc:
        await _replace(ctx, _refusal(ctx, exc), escape(_refusal(ctx, exc)))
        return
    key = "transfer.declined_qr" if view.kind == "qr" else "transfer.declined_self"
    text = t(key, language, title=view.title)
    await _replace(ctx, label("transfer.declined_toast", language), text)
