"""The bot in a group chat: a short hello when added, answers only to what is addressed to it
(bot/group_address.py), private things sent to the personal chat, and a clean exit when removed.
Every group update stops here: nothing of the dialog handlers runs in a group."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.dispatcher import Router
from bot.group_address import GROUP_COMMANDS, KNOWN_COMMANDS, Addressed, addressed
from bot.handlers import group_photos
from bot.handlers.collection import my_page
from bot.handlers.group_photos import name_of, say
from bot.markup import Markup, message_body
from bot.texts import label, t
from bot.texts.groups import group_label, group_t
from bot.types import (
    BotAddedUpdate,
    BotRemovedUpdate,
    ImageAttachment,
    InlineKeyboardAttachmentRequest,
    MessageCreatedUpdate,
)
from storage.group_chats import ensure_group, get_group, join_group, leave_group
from storage.outbox_queue import enqueue

router = Router("groups")


def in_group(ctx: Context) -> bool:
    return ctx.in_group


def address_of(ctx: Context) -> Addressed | None:
    """What the message asks of the bot; None for chatter (bot/group_gate.py drops it first)."""
    if not isinstance(ctx.update, MessageCreatedUpdate):
        return None
    body, identity = ctx.update.message.body, ctx.services.identity
    if body is None:
        return None
    return addressed(body.text, body.markup, identity.username, identity.user_id)


@router.on("bot_added", in_group)
async def bot_added(ctx: Context) -> None:
    assert isinstance(ctx.update, BotAddedUpdate)
    await join_group(ctx.conn, ctx.update.chat_id, ctx.user.id)
    if ctx.update.is_channel:  # a channel's readers did not ask for a hello
        return
    bot = ctx.services.identity.username
    await say(ctx, group_t("group.hello", ctx.user.language, bot=bot))


@router.on("bot_removed", in_group)
async def bot_removed(ctx: Context) -> None:
    """Forget the chat and drop whatever was still to be sent or edited there."""
    assert isinstance(ctx.update, BotRemovedUpdate)
    await leave_group(ctx.conn, ctx.update.chat_id, "the bot was removed from the chat")


@router.message(in_group)
async def group_message(ctx: Context) -> None:
    asked = address_of(ctx)
    chat_id = ctx.chat_id
    if asked is None or chat_id is None:
        return
    group = await ensure_group(ctx.conn, chat_id)
    if group.removed_at is not None:  # a late update from a chat the bot has left
        return
    await answer_group(ctx, asked)


async def answer_group(ctx: Context, asked: Addressed) -> None:
    command = asked.command
    if command == "add" or (has_images(ctx) and command not in KNOWN_COMMANDS):
        # a photo whose caption speaks to the bot gets a prompt; "/add" as a caption takes it
        await group_photos.add_asked(ctx, asked.args, prompt=command != "add")
    elif command == "my":
        await send_my_privately(ctx)
    elif command == "gallery":
        await say(ctx, t("gallery", ctx.user.language), keyboard=gallery_keyboard(ctx))
    elif command in KNOWN_COMMANDS - GROUP_COMMANDS:
        await say_private_only(ctx)
    elif asked.answered:  # /start, /help, and any mention
        bot = ctx.services.identity.username
        await say(ctx, group_t("group.help", ctx.user.language, bot=bot))


def has_images(ctx: Context) -> bool:
    update = ctx.update
    return isinstance(update, MessageCreatedUpdate) and any(
        isinstance(a, ImageAttachment) for a in update.message.attachments
    )


def gallery_keyboard(ctx: Context) -> InlineKeyboardAttachmentRequest:
    button = ctx.services.identity.open_app_button(label("open_gallery", ctx.user.language))
    return keyboards.inline_keyboard([[button]])


def chat_link_keyboard(ctx: Context, payload: str) -> InlineKeyboardAttachmentRequest:
    link = keyboards.link(
        group_label("group.button.open_chat", ctx.user.language),
        ctx.services.identity.deep_link(payload),
    )
    return keyboards.inline_keyboard([[link]])


async def say_private_only(ctx: Context) -> None:
    text = group_t("group.private_only", ctx.user.language, name=name_of(ctx))
    await say(ctx, text, keyboard=chat_link_keyboard(ctx, "group"))


async def send_my_privately(ctx: Context) -> None:
    """/my's answer goes to the person's own dialog; the group only hears that it went."""
    language, name = ctx.user.language, name_of(ctx)
    dialog = ctx.user.dialog_chat_id
    if dialog is None or not ctx.user.reachable:
        text = group_t("group.start_first", language, name=name)
        await say(ctx, text, keyboard=chat_link_keyboard(ctx, "my"))
        return
    await send_to_dialog(ctx, *await my_page(ctx, 1))
    await say(ctx, group_t("group.sent_privately", language, name=name))


async def send_to_dialog(
    ctx: Context, text: Markup, keyboard: InlineKeyboardAttachmentRequest | None
) -> None:
    body = message_body(text, attachments=[keyboard] if keyboard is not None else None)
    message = body.model_dump(mode="json", exclude_none=True)
    await enqueue(
        ctx.conn,
        kind="send",
        body={"message": message},
        user_id=ctx.user.id,
        chat_id=ctx.user.dialog_chat_id,
    )


@router.callback(in_group)
async def group_button(ctx: Context) -> None:
    chat_id = ctx.chat_id
    group = None if chat_id is None else await get_group(ctx.conn, chat_id)
    if group is not None and group.removed_at is not None:  # pressed as the bot was leaving
        return
    await group_photos.button_pressed(ctx)


@router.any(in_group)
async def group_event(ctx: Context) -> None:
    """Members coming and going, titles, edits: nothing to say, nothing to keep."""
