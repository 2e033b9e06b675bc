"""The operators' chat: /reports (and the push's "Open reports") lists the open reports, one
line per reported object with Hide / Dismiss / Ban owner under it.

To anyone else /reports is a command the bot does not know and every operator button a stale
one: the refusal is the one everybody gets, so it tells nobody that the buttons exist."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, callback_action
from bot.markup import Markup, join_lines
from bot.notices.moderation import LIST, SCREEN_PARAM
from bot.payloads import encode
from bot.texts import label, t
from bot.types import Button, InlineKeyboardAttachmentRequest
from gallery.moderation.queries import is_operator, open_reports
from storage.models import Language
from storage.moderation import ReportView

router = Router("moderation")
HIDE, DISMISS, BAN, RESTORE, UNBAN = "mh", "md", "mb", "mr", "mu"
OBJECTS_SHOWN = 8  # a row of three buttons each, well under MAX's 30 rows


def operator(ctx: Context) -> bool:
    return is_operator(ctx.services.settings.moderation, ctx.user.id)


async def refuse_button(ctx: Context) -> None:
    """What any stale or unknown button gets (bot/handlers/collection.py stale_button)."""
    await ctx.answer(notification=label("stale_button", ctx.user.language))


@router.message(Command("reports"))
async def reports_command(ctx: Context) -> None:
    if not operator(ctx):
        await ctx.reply(t("not_understood", ctx.user.language))
        return
    text, keyboard = await reports_message(ctx)
    await ctx.reply(text, keyboard=keyboard)


@router.callback(callback_action(LIST))
async def list_pressed(ctx: Context) -> None:
    if not operator(ctx):
        await refuse_button(ctx)
        return
    text, keyboard = await reports_message(ctx)
    await ctx.answer(notification=label("mod.button.list", ctx.user.language))
    await ctx.reply(text, keyboard=keyboard)


def by_object(reports: list[ReportView]) -> list[list[ReportView]]:
    """The open reports grouped by object, the most recently reported object first."""
    groups: dict[int, list[ReportView]] = {}
    for item in reports:
        groups.setdefault(item.object_id, []).append(item)
    return list(groups.values())


def report_line(n: int, group: list[ReportView], language: Language) -> Markup:
    first = group[0]
    kinds = dict.fromkeys(item.kind for item in group)
    reasons = ", ".join(label(f"mod.kind.{kind}", language) for kind in kinds)
    hidden = label("mod.reports.hidden_mark", language) if first.hidden else ""
    return t("mod.reports.line", language, n=n, title=first.title, name=first.owner_name,
             reason=reasons, count=first.reports_on_object, hidden=hidden)  # fmt: skip


def report_buttons(n: int, first: ReportView, language: Language) -> list[Button]:
    def button(key: str, action: str, target: int) -> Button:
        return keyboards.callback(label(key, language, n=n), encode(action, target))

    return [
        button("mod.button.hide", HIDE, first.object_id),
        button("mod.button.dismiss", DISMISS, first.object_id),
        button("mod.button.ban", BAN, first.owner_id),
    ]


async def reports_message(ctx: Context) -> tuple[Markup, InlineKeyboardAttachmentRequest]:
    language = ctx.user.language
    reports = await open_reports(ctx.conn, ctx.services.settings.moderation, ctx.user.id)
    groups = by_object(reports)[:OBJECTS_SHOWN]
    screen = ctx.services.identity.open_app_button(
        label("mod.button.screen", language), SCREEN_PARAM
    )
    if not groups:
        return t("mod.reports.empty", language), keyboards.inline_keyboard([[screen]])
    header = t("mod.reports.header", language, count=len(reports))
    lines = [report_line(n, group, language) for n, group in enumerate(groups, start=1)]
    rows = [report_buttons(n, group[0], language) for n, group in enumerate(groups, start=1)]
    return join_lines([header, *lines]), keyboards.inline_keyboard([*rows, [screen]])
