"""The operators' buttons: Hide and Ban owner first ask why (the report reasons as buttons, so
the reason is one press and the owner reads it in their own language), then act; Dismiss
closes the object's open reports; Restore and Unban undo from the message that did it.

Each act calls the same gallery function as the mini-app's operator screen; a press by anyone
who is not an operator gets the stale-button toast and nothing else."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import callback_action
from bot.handlers.moderation import BAN, DISMISS, HIDE, RESTORE, UNBAN, operator, refuse_button
from bot.handlers.reports import QUICK_KINDS
from bot.markup import Markup, escape, message_body
from bot.payloads import Payload, decode, encode
from bot.texts import label, t
from bot.types import Button
from gallery.moderation import actions
from gallery.moderation.queries import open_reports
from storage.errors import DomainError, NotFound
from storage.objects import get_object
from storage.users import get_user

router = Router("moderation actions")
UNDO_REASON = "undone from the chat"


def _pressed(ctx: Context) -> tuple[Payload, int] | None:
    payload = decode(ctx.callback_payload)
    target = payload.int_arg() if payload else None
    if payload is None or target is None or not operator(ctx):
        return None
    return payload, target


def _reason(payload: Payload) -> str | None:
    reason = payload.args[1] if len(payload.args) > 1 else None
    return reason if reason in QUICK_KINDS else None


def _reason_rows(action: str, target: int, ctx: Context) -> list[list[Button]]:
    language = ctx.user.language
    buttons: list[Button] = [
        keyboards.callback(label(f"mod.kind.{kind}", language), encode(action, target, kind))
        for kind in QUICK_KINDS
    ]
    return [buttons[:2], buttons[2:]]


async def _done(ctx: Context, text: Markup, undo: Button | None = None) -> None:
    """The asking message becomes what was done, with the undo button if there is one."""
    rows = [[undo]] if undo is not None else []
    attachments = [keyboards.inline_keyboard(rows)] if rows else []
    body = message_body(text, attachments=attachments)
    await ctx.answer(notification=label("mod.toast.done", ctx.user.language), message=body)


async def _failed(ctx: Context, exc: DomainError) -> None:
    """Operators may read the rule's own sentence (already hidden, not banned, …)."""
    body = message_body(escape(exc.detail), attachments=[])
    await ctx.answer(notification=label("mod.done.nothing", ctx.user.language), message=body)


async def _name(ctx: Context, user_id: int) -> str:
    person = await get_user(ctx.conn, user_id)
    return person.display_name if person is not None else "—"


@router.callback(callback_action(HIDE))
async def hide_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    if pressed is None:
        await refuse_button(ctx)
        return
    payload, object_id = pressed
    language, reason = ctx.user.language, _reason(payload)
    try:
        title = (await get_object(ctx.conn, object_id)).title
    except NotFound:
        await ctx.answer(notification=label("mod.report.gone", language))
        return
    if reason is None:
        await ctx.answer(notification=label("mod.report.choose", language))
        rows = _reason_rows(HIDE, object_id, ctx)
        await ctx.reply(t("mod.ask.hide", language, title=title),
                        keyboard=keyboards.inline_keyboard(rows))  # fmt: skip
        return
    try:
        settings = ctx.services.settings.moderation
        await actions.hide_object(ctx.conn, settings, ctx.user.id, object_id, reason)
    except DomainError as exc:
        await _failed(ctx, exc)
        return
    reason_words = label(f"mod.kind.{reason}", language)
    undo = keyboards.callback(label("mod.button.restore", language), encode(RESTORE, object_id))
    await _done(ctx, t("mod.done.hidden", language, title=title, reason=reason_words), undo)


@router.callback(callback_action(BAN))
async def ban_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    if pressed is None:
        await refuse_button(ctx)
        return
    payload, user_id = pressed
    language, settings = ctx.user.language, ctx.services.settings.moderation
    name, reason = await _name(ctx, user_id), _reason(payload)
    if reason is None:
        await ctx.answer(notification=label("mod.report.choose", language))
        rows = _reason_rows(BAN, user_id, ctx)
        await ctx.reply(t("mod.ask.ban", language, name=name),
                        keyboard=keyboards.inline_keyboard(rows))  # fmt: skip
        return
    try:
        await actions.ban_user(ctx.conn, settings, ctx.user.id, user_id, reason)
    except DomainError as exc:
        await _failed(ctx, exc)
        return
    reason_words = label(f"mod.kind.{reason}", language)
    undo = keyboards.callback(label("mod.button.unban", language), encode(UNBAN, user_id))
    await _done(ctx, t("mod.done.banned", language, name=name, reason=reason_words), undo)


@router.callback(callback_action(DISMISS))
async def dismiss_pressed(ctx: Context) -> None:
    """Every open report on the object is closed without action."""
    pressed = _pressed(ctx)
    if pressed is None:
        await refuse_button(ctx)
        return
    object_id, settings = pressed[1], ctx.services.settings.moderation
    reports = await open_reports(ctx.conn, settings, ctx.user.id)
    mine = [item for item in reports if item.object_id == object_id]
    for item in mine:
        await actions.dismiss_report(ctx.conn, settings, ctx.user.id, item.id)
    language = ctx.user.language
    if not mine:
        await ctx.answer(notification=label("mod.done.nothing", language))
        return
    await ctx.answer(notification=label("mod.toast.done", language))
    await ctx.reply(t("mod.done.dismissed", language, title=mine[0].title))


@router.callback(callback_action(RESTORE))
async def restore_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    if pressed is None:
        await refuse_button(ctx)
        return
    object_id, settings = pressed[1], ctx.services.settings.moderation
    try:
        await actions.restore_object(ctx.conn, settings, ctx.user.id, object_id, UNDO_REASON)
        title = (await get_object(ctx.conn, object_id)).title
    except DomainError as exc:
        await _failed(ctx, exc)
        return
    await _done(ctx, t("mod.done.restored", ctx.user.language, title=title))


@router.callback(callback_action(UNBAN))
async def unban_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    if pressed is None:
        await refuse_button(ctx)
        return
    user_id, settings = pressed[1], ctx.services.settings.moderation
    try:
        await actions.unban_user(ctx.conn, settings, ctx.user.id, user_id, UNDO_REASON)
    except DomainError as exc:
        await _failed(ctx, exc)
        return
    await _done(ctx, t("mod.done.unbanned", ctx.user.language, name=await _name(ctx, user_id)))
