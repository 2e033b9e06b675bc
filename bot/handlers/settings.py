"""/settings in the chat: one button per kind of push, showing whether it is on; a press turns
it over and edits the message in place (gallery/notices/settings.py decides what each covers).

A button carries the state it asks for, not "toggle": pressing an old message's button twice,
or after the mini-app changed the switch, gives the state the button said."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import Command, callback_action
from bot.markup import message_body
from bot.payloads import decode, encode
from bot.texts import label, t
from bot.types import InlineKeyboardAttachmentRequest
from gallery.notices import settings
from storage.models import Language
from storage.notification_settings import NotificationSwitches

router = Router("settings")
SWITCH = "ns"
WANTED = {"1": True, "0": False}


def settings_keyboard(
    switches: NotificationSwitches, language: Language
) -> InlineKeyboardAttachmentRequest:
    rows = []
    for category in settings.CATEGORIES:
        on = bool(getattr(switches, category))
        text = label(f"settings.{'on' if on else 'off'}", language,
                     what=label(f"settings.{category}", language))  # fmt: skip
        rows.append([keyboards.callback(text, encode(SWITCH, category, "0" if on else "1"))])
    return keyboards.inline_keyboard(rows)


@router.message(Command("settings"))
async def settings_command(ctx: Context) -> None:
    switches = await settings.switches(ctx.conn, ctx.user.id)
    language = ctx.user.language
    await ctx.reply(t("settings.menu", language), keyboard=settings_keyboard(switches, language))


@router.callback(callback_action(SWITCH))
async def switch_pressed(ctx: Context) -> None:
    payload = decode(ctx.callback_payload)
    args = payload.args if payload else ()
    category = next((c for c in settings.CATEGORIES if args[:1] == (c,)), None)
    wanted = WANTED.get(args[1]) if len(args) == 2 else None
    language = ctx.user.language
    if category is None or wanted is None:
        await ctx.answer(notification=label("stale_button", language))
        return
    switches = await settings.change_switches(ctx.conn, ctx.user.id, {category: wanted})
    what = label(f"settings.{category}", language)
    body = message_body(t("settings.menu", language),
                        attachments=[settings_keyboard(switches, language)])  # fmt: skip
    key = "settings.turned_on" if wanted else "settings.turned_off"
    await ctx.answer(notification=label(key, language, what=what), message=body)
