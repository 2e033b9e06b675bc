"""Reporting an object from its card: Report asks for a reason with quick buttons (one
callback each), the reason files the report through the rule the mini-app uses. "Other"
waits for a few words in the next message (a dialog, like Rename's) or sends without them.

A refusal says only what the reporter may know: an object they cannot see is "no longer
available", whether it exists or not."""

from __future__ import annotations

from datetime import timedelta

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import callback_action
from bot.markup import Markup, message_body
from bot.payloads import SEPARATOR, decode, encode
from bot.texts import label, t
from bot.types import Button, CallbackButton, InlineKeyboardAttachmentRequest
from gallery.moderation.reports import report
from storage import dialogs
from storage.errors import DomainError, NotFound
from storage.models import Language
from storage.moderation import ReportKind
from storage.objects import get_object, get_object_detail

router = Router("reports")
REPORT, REASON = "rp", "rk"
AS_IS = "-"  # after "Other": send without words
DETAILS_TTL = timedelta(minutes=15)
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
    if kind == "other" and not ctx.callback_payload.endswith(SEPARATOR + AS_IS):
        await ask_details(ctx, pressed[0])
        return
    await end_report_dialog(ctx)
    try:
        done = await file_report(ctx, pressed[0], kind, kind)
    except DomainError as exc:
        await _refused(ctx, exc)
        return
    body = message_body(done, attachments=[])
    await ctx.answer(notification=label("mod.report.toast", ctx.user.language), message=body)


async def ask_details(ctx: Context, object_id: int) -> None:
    """After "Other": the next message is the report's words, or the button sends it as is."""
    language, settings = ctx.user.language, ctx.services.settings.moderation
    try:
        detail = await get_object_detail(ctx.conn, object_id, ctx.user.id)
    except NotFound as exc:
        await _refused(ctx, exc)
        return
    await dialogs.start_dialog(ctx.conn, ctx.user.id, "report", {"object_id": object_id},
                               DETAILS_TTL)  # fmt: skip
    text = t("mod.report.details", language, title=detail.title, max=settings.reason_max)
    as_is = encode(REASON, object_id, "other", AS_IS)
    keyboard = keyboards.inline_keyboard(
        [[keyboards.callback(label("mod.button.as_is", language), as_is)]]
    )
    body = message_body(text, attachments=[keyboard])
    await ctx.answer(notification=label("mod.report.waiting", language), message=body)


async def report_from_dialog(ctx: Context, object_id: int) -> None:
    """The words sent after "Other": the report's reason. Too long: say so and keep waiting."""
    language = ctx.user.language
    try:
        done = await file_report(ctx, object_id, "other", ctx.text)
    except DomainError as exc:
        if exc.code == "reason_too_long":
            max_chars = ctx.services.settings.moderation.reason_max
            await ctx.reply(t("mod.report.too_long", language, max=max_chars))
            return
        await dialogs.end_dialog(ctx.conn, ctx.user.id)
        await ctx.reply(t(REFUSALS.get(exc.code, "mod.report.gone"), language))
        return
    await dialogs.end_dialog(ctx.conn, ctx.user.id)
    await ctx.reply(done)


async def end_report_dialog(ctx: Context) -> None:
    dialog = await dialogs.active_dialog(ctx.conn, ctx.user.id)
    if dialog is not None and dialog.state == "report":
        await dialogs.end_dialog(ctx.conn, ctx.user.id)


async def file_report(ctx: Context, object_id: int, kind: ReportKind, reason: str) -> Markup:
    """The report filed through the rule the mini-app uses; what the reporter is told."""
    language, settings = ctx.user.language, ctx.services.settings.moderation
    await report(ctx.conn, settings, ctx.user.id, object_id, reason, kind)
    title = (await get_object(ctx.conn, object_id)).title
    words = label(f"mod.kind.{kind}", language)
    return t("mod.report.done", language, title=title, reason=words)


async def _refused(ctx: Context, exc: DomainError) -> None:
    """The reason message loses its buttons and says why; a toast says it too."""
    language = ctx.user.language
    key = REFUSALS.get(exc.code, "mod.report.gone")
    body = message_body(t(key, language), attachments=[])
    await ctx.answer(notification=label(key, language), message=body)
