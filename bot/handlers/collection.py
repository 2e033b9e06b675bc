"""A person's collection in the chat: /my in pages, /gallery, renaming by a short dialog."""

from __future__ import annotations

from datetime import timedelta

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, callback_action, has_text
from bot.handlers.reports import report_from_dialog
from bot.handlers.start import app_keyboard
from bot.markup import Markup, escape, join_lines, message_body, plain
from bot.payloads import decode, encode
from bot.texts import label, t
from bot.types import Button, InlineKeyboardAttachmentRequest
from gallery.objects.edit import edit_object, object_to_rename
from storage import collections, dialogs
from storage.errors import DomainError, Forbidden, NotFound

router = Router("collection")
text_router = Router("dialog text")
PAGE_SIZE = 10
RENAME_TTL = timedelta(minutes=15)


@router.message(Command("gallery"))
async def gallery_command(ctx: Context) -> None:
    await ctx.reply(t("gallery", ctx.user.language), keyboard=app_keyboard(ctx, "open_gallery"))


@router.message(Command("my"))
async def my_command(ctx: Context) -> None:
    text, keyboard = await my_page(ctx, 1)
    await ctx.reply(text, keyboard=keyboard)


@router.callback(callback_action("my"))
async def my_page_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    page = (payload.int_arg() if payload else None) or 1
    text, keyboard = await my_page(ctx, page)
    attachments = [keyboard] if keyboard is not None else []
    await ctx.answer(message=message_body(text, attachments=attachments))


async def my_page(ctx: Context, page: int) -> tuple[Markup, InlineKeyboardAttachmentRequest | None]:
    language = ctx.user.language
    total = await collections.count_owned(ctx.conn, ctx.user.id)
    if total == 0:
        return t("my.empty", language), None
    pages = -(-total // PAGE_SIZE)
    page = min(max(page, 1), pages)
    titles = await collections.owned_titles(
        ctx.conn, ctx.user.id, (page - 1) * PAGE_SIZE, PAGE_SIZE
    )
    first = (page - 1) * PAGE_SIZE + 1
    lines = [
        t("my.line", language, number=n, title=item.title)
        for n, item in enumerate(titles, start=first)
    ]
    header = t("my.page", language, total=total, page=page, pages=pages)
    nav: list[Button] = []
    if page > 1:
        nav.append(keyboards.callback(label("button.prev", language), encode("my", page - 1)))
    if page < pages:
        nav.append(keyboards.callback(label("button.next", language), encode("my", page + 1)))
    gallery = ctx.services.identity.open_app_button(label("open_gallery", language))
    opens = [[object_button(ctx, n, item.id, item.title)] for n, item in enumerate(titles, first)]
    rows: list[list[Button]] = [*opens, nav, [gallery]]
    return join_lines([header, *lines]), keyboards.inline_keyboard(row for row in rows if row)


def object_button(ctx: Context, number: int, object_id: int, title: str) -> Button:
    """One row per object: opens it in the mini-app (start_param o_<id>, as the deep link)."""
    text = keyboards.shorten(f"{number}. {plain(title)}")  # a label: sanitised, never escaped
    return ctx.services.identity.open_app_button(text, f"o_{object_id}")


@router.callback(callback_action("rn"))
async def rename_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    object_id = payload.int_arg() if payload else None
    language = ctx.user.language
    try:
        if object_id is None:  # a payload past the id range names nothing that exists
            raise NotFound("no such object")
        art_object = await object_to_rename(ctx.conn, object_id, ctx.user.id)
    except NotFound:
        await ctx.answer(notification=label("object_gone", language))
        return
    except Forbidden:
        await ctx.answer(notification=label("rename.not_owner", language))
        return
    await dialogs.start_dialog(
        ctx.conn, ctx.user.id, "rename", {"object_id": art_object.id}, RENAME_TTL
    )
    await ctx.answer(notification=label("rename.toast", language))
    await ctx.reply(t("rename.prompt", language, title=art_object.title))


@router.message(Command("cancel"))
async def cancel_command(ctx: Context) -> None:
    ended = await dialogs.end_dialog(ctx.conn, ctx.user.id)
    await ctx.reply(t("cancelled" if ended else "nothing_to_cancel", ctx.user.language))


@text_router.message(has_text)
async def text_sent(ctx: Context) -> None:
    """Plain text: the answer to an open dialog, or something the bot did not understand."""
    dialog = await dialogs.active_dialog(ctx.conn, ctx.user.id)
    if dialog is None or ctx.text.startswith("/"):
        await ctx.reply(t("not_understood", ctx.user.language))
        return
    if dialog.state == "report":
        await report_from_dialog(ctx, int(dialog.data["object_id"]))
        return
    await rename_from_dialog(ctx, int(dialog.data["object_id"]))


async def rename_from_dialog(ctx: Context, object_id: int) -> None:
    language = ctx.user.language
    try:
        renamed = await edit_object(ctx.conn, object_id, ctx.user.id, title=ctx.text)
    except (Forbidden, NotFound):
        await dialogs.end_dialog(ctx.conn, ctx.user.id)
        await ctx.reply(t("rename.not_owner", language))
        return
    except DomainError as exc:  # an unusable title: say why and keep waiting for a better one
        await ctx.reply(escape(exc.detail))
        return
    await dialogs.end_dialog(ctx.conn, ctx.user.id)
    await ctx.reply(t("rename.done", language, title=renamed.title))


@router.callback()
async def stale_button(ctx: Context) -> None:
    """A button this version does not know (or an old payload): say so, change nothing."""
    await ctx.answer(notification=label("stale_button", ctx.user.language))
