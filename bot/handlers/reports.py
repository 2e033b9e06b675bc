"""Reporting an object from its card: Report asks for a reason with quick buttons (one
callback each, no typing), the reason files the report through the rule the mini-app uses.

A refusal says only what the reporter may know: an object they cannot see is "no longer
available", whether it exists or not."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import callback_action
from bot.markup import message_body
from bot.payloads import decode, encode
from bot.texts import label, t
from bot.types import Button, CallbackButton, InlineKeyboardAttachmentRequest
from gallery.moderation.reports import report
from storage.errors import DomainError, NotFound
from storage.models import Language
from storage.moderation import ReportKind
from storage.objects import get_object, get_object_detail

router = Router("reports")
REPORT, REASON = "rp", "rk"
QUICK_KINDS: tuple[ReportKind, ...] = ("spam", "copyright", "offensive", "other")
QUICK: dict[str, ReportKind] = {kind: kind for kind in QUICK_KINDS}
REFUSALS = {
    "already_reported": "mod.report.already",
    "own_object": "mod.report.own",
    "too_many_reports": "mod.report.too_many",
}


def report_button(object_id: int, language: Language) -> CallbackButton:
    return keyboards.callback(label("mod.button.report", language), encode(REPORT, object_id))


def reason_keyboard(object_id: int, language: Language) -> InlineKeyboardAttachmentRequest:
    buttons: list[Button] = [
        keyboards.callback(label(f"mod.kind.{kind}", language), encode(REASON, object_id, kind))
        for kind in QUICK_KINDS
    ]
    return keyboards.inline_keyboard([buttons[:2], buttons[2:]])


def _pressed(ctx: Context) -> tuple[int, str] | None:
    payload = decode(ctx.callback_payload)
    object_id = payload.int_arg() if payload else None
    if payload is None or object_id is None:
        return None
    kind = payload.args[1] if len(payload.args) > 1 else ""
    return object_id, kind


@router.callback(callback_action(REPORT))
async def report_pressed(ctx: Context) -> None:
    language = ctx.user.language
    pressed = _pressed(ctx)
    try:
        if pressed is None:
            raise NotFound("no such object")
        detail = await get_object_detail(ctx.conn, pressed[0], ctx.user.id)
    except NotFound:
        await ctx.answer(notification=label("mod.report.gone", language))
        return
    if detail.owner_id == ctx.user.id:
        await ctx.answer(notification=label("mod.report.own", language))
        return
    await ctx.answer(notification=label("mod.report.choose", language))
    text = t("mod.report.ask", language, title=detail.title)
    await ctx.reply(text, keyboard=reason_keyboard(detail.id, language))


@router.callback(callback_action(REASON))
async def reason_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    kind = QUICK.get(pressed[1]) if pressed else None
    if pressed is None or kind is None:
        await ctx.answer(notification=label("stale_button", ctx.user.language))
        return
    object_id = pressed[0]
    try:
        settings = ctx.services.settings.moderation
        await report(ctx.conn, settings, ctx.user.id, object_id, kind, kind)
    except DomainError as exc:
        await _refused(ctx, exc)
        return
    language = ctx.user.language
    reason = label(f"mod.kind.{kind}", language)
    title = (await get_object(ctx.conn, object_id)).title
    done = t("mod.report.done", language, title=title, reason=reason)
    body = message_body(done, attachments=[])
    await ctx.answer(notification=label("mod.report.toast", language), message=body)


async def _refused(ctx: Context, exc: DomainError) -> None:
    """The reason message loses its buttons and says why; a toast says it too."""
    language = ctx.user.language
    key = REFUSALS.get(exc.code, "mod.report.gone")
    body = message_body(t(key, language), attachments=[])
    await ctx.answer(notification=label(key, language), message=body)
