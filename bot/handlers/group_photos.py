"""A photo posted in a group becomes an object only when its sender asks: a reply to it with
/add, the photo's own caption addressing the bot, or the button under the bot's prompt. Anyone
else is refused without a word about the photo; a race of asks makes one object."""

from __future__ import annotations

from typing import Any

from bot import keyboards
from bot.cards import object_keyboard
from bot.context import Context
from bot.errors import MaxError, MediaTooLarge
from bot.group_address import addressed
from bot.handlers.photos import refusal_reason
from bot.markup import Markup, message_body
from bot.payloads import decode, encode
from bot.texts import label, t
from bot.texts.groups import group_label, group_t
from bot.types import (
    ImageAttachment,
    InlineKeyboardAttachmentRequest,
    MessageBody,
    MessageCallbackUpdate,
    MessageCreatedUpdate,
)
from gallery.groups.photos import AlreadyAdded, NotTheSender, adopt_group_photos, ensure_sender
from gallery.photos.intake import CreatedObject, DuplicatePhoto
from storage.errors import DomainError
from storage.media import MediaUnavailable
from storage.outbox_queue import enqueue

ADD_ACTION = "ga"


def images_of(body: MessageBody | None) -> list[ImageAttachment]:
    attachments = body.attachments if body is not None else None
    return [a for a in attachments or () if isinstance(a, ImageAttachment)]


def name_of(ctx: Context) -> str:
    return ctx.user.first_name or ctx.user.display_name


async def say(
    ctx: Context,
    text: Markup,
    *,
    keyboard: InlineKeyboardAttachmentRequest | None = None,
    reply_to: str | None = None,
) -> None:
    """A message to the group, queued in the update's transaction; no person's push."""
    body = message_body(text, attachments=[keyboard] if keyboard is not None else None)
    message: dict[str, Any] = body.model_dump(mode="json", exclude_none=True)
    if reply_to is not None:
        message["link"] = {"type": "reply", "mid": reply_to}
    await enqueue(ctx.conn, kind="send", body={"message": message}, chat_id=ctx.chat_id)


async def add_asked(ctx: Context, args: str, *, prompt: bool) -> None:
    """/add (or a mention) in a message: its own photos, else the photo it replies to."""
    assert isinstance(ctx.update, MessageCreatedUpdate)
    message = ctx.update.message
    sender_id = message.sender.user_id if message.sender else None
    own = images_of(message.body)
    if own and message.mid is not None:
        if prompt:
            await ask_first(ctx, message.mid)
        else:
            await adopt(ctx, message.mid, sender_id, own, args or None, reply_to=message.mid)
        return
    link = message.link
    photos = images_of(link.message) if link is not None and link.type == "reply" else []
    if link is None or not photos:
        bot = ctx.services.identity.username
        await say(ctx, group_t("group.add_hint", ctx.user.language, name=name_of(ctx), bot=bot))
        return
    owner = link.sender.user_id if link.sender else None
    title = args or caption_title(ctx, link.message)
    await adopt(ctx, link.message.mid, owner, photos, title, reply_to=message.mid)


def caption_title(ctx: Context, body: MessageBody) -> str | None:
    """The photo's caption names it, as in the personal chat, unless it spoke to the bot."""
    identity = ctx.services.identity
    if addressed(body.text, body.markup, identity.username, identity.user_id) is not None:
        return None
    return (body.text or "").strip() or None


async def ask_first(ctx: Context, photo_mid: str) -> None:
    language = ctx.user.language
    button = keyboards.callback(group_label("group.button.add", language), encode(ADD_ACTION))
    text = group_t("group.prompt", language, name=name_of(ctx))
    await say(ctx, text, keyboard=keyboards.inline_keyboard([[button]]), reply_to=photo_mid)


async def button_pressed(ctx: Context) -> None:
    """The prompt's button: the prompt replies to the photo, so the press carries it."""
    assert isinstance(ctx.update, MessageCallbackUpdate)
    payload = decode(ctx.callback_payload)
    prompt = ctx.update.message
    link = prompt.link if prompt is not None else None
    photos = images_of(link.message) if link is not None else []
    if payload is None or payload.action != ADD_ACTION or link is None or not photos:
        await ctx.answer(notification=label("stale_button", ctx.user.language))
        return
    owner = link.sender.user_id if link.sender else None
    await adopt(ctx, link.message.mid, owner, photos, caption_title(ctx, link.message))


async def adopt(
    ctx: Context,
    photo_mid: str,
    sender_id: int | None,
    images: list[ImageAttachment],
    title: str | None,
    *,
    reply_to: str | None = None,
) -> None:
    pressed = isinstance(ctx.update, MessageCallbackUpdate)
    try:
        ensure_sender(sender_id, ctx.user.id)
    except NotTheSender:
        await refuse_stranger(ctx, pressed, reply_to)
        return
    try:
        created = await take_photos(ctx, photo_mid, images, title)
    except AlreadyAdded:
        if pressed:  # a toast only: the prompt keeps the outcome the first press wrote
            await ctx.answer(notification=group_label("group.toast.already", ctx.user.language))
        else:
            await say(ctx, group_t("group.already", ctx.user.language, name=name_of(ctx)),
                      reply_to=reply_to)  # fmt: skip
        return
    except (DomainError, MaxError, MediaUnavailable) as exc:
        reason = group_t("group.refused", ctx.user.language, name=name_of(ctx),
                         reason=reason_for(ctx, exc))  # fmt: skip
        await tell(ctx, pressed, reason, None, reply_to)
        return
    await tell(ctx, pressed, added_text(ctx, created), "group.toast.added", reply_to)
    await send_cards_privately(ctx, created)


async def take_photos(
    ctx: Context, photo_mid: str, images: list[ImageAttachment], title: str | None
) -> list[CreatedObject]:
    settings, chat_id = ctx.services.settings, ctx.chat_id
    assert chat_id is not None
    data = [await ctx.services.client.download(i.payload.url, settings.media.max_bytes)
            for i in images]  # fmt: skip
    return await adopt_group_photos(
        ctx.conn,
        ctx.services.store,
        ctx.services.pools,
        settings,
        chat_id=chat_id,
        message_id=photo_mid,
        owner_id=ctx.user.id,
        images=data,
        title=title,
    )


async def refuse_stranger(ctx: Context, pressed: bool, reply_to: str | None) -> None:
    if pressed:  # a toast only the presser sees
        await ctx.answer(notification=group_label("group.toast.not_sender", ctx.user.language))
        return
    text = group_t("group.not_sender", ctx.user.language, name=name_of(ctx))
    await say(ctx, text, reply_to=reply_to)


async def tell(
    ctx: Context, pressed: bool, text: Markup, toast: str | None, reply_to: str | None
) -> None:
    """In the group; a press replaces the prompt (its button is spent) with the outcome."""
    if not pressed:
        await say(ctx, text, reply_to=reply_to)
        return
    notification = group_label(toast, ctx.user.language) if toast else None
    await ctx.answer(notification=notification, message=message_body(text, attachments=[]))


def reason_for(ctx: Context, exc: Exception) -> Markup:
    language = ctx.user.language
    if isinstance(exc, DuplicatePhoto):  # said in front of others: no title, ever
        return t(f"reason.{exc.code}_hidden", language)
    if isinstance(exc, DomainError):
        return refusal_reason(ctx, exc)
    if isinstance(exc, MediaTooLarge):
        return t(
            "reason.too_large", language, mb=f"{ctx.services.settings.media.max_bytes / 10**6:g}"
        )
    if isinstance(exc, MaxError):
        return t("reason.download", language)
    return t("reason.store_unavailable", language)


def added_text(ctx: Context, created: list[CreatedObject]) -> Markup:
    language, name = ctx.user.language, name_of(ctx)
    if len(created) == 1:
        return group_t("group.added", language, title=created[0].object.title, name=name)
    return group_t("group.added_many", language, count=len(created), name=name)


async def send_cards_privately(ctx: Context, created: list[CreatedObject]) -> None:
    """The object cards, with what only the owner may do, go to the owner's own dialog."""
    user = ctx.user
    if user.dialog_chat_id is None or not user.reachable:
        return
    for item in created:
        keyboard = object_keyboard(ctx, item.object.id, user.language)
        body = message_body(t("card", user.language, title=item.object.title),
                            attachments=[keyboard])  # fmt: skip
        photo = {"photo_id": item.photo.id, "key": item.photo.preview_key}
        message = body.model_dump(mode="json", exclude_none=True)
        await enqueue(ctx.conn, kind="send", body={"message": message, "photo": photo},
                      user_id=user.id, chat_id=user.dialog_chat_id)  # fmt: skip
