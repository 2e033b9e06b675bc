"""The object card: the preview as an image, the title, and what the owner can do with it."""

from __future__ import annotations

from bot import keyboards
from bot.context import Context
from bot.markup import Markup
from bot.payloads import encode
from bot.texts import label
from bot.types import InlineKeyboardAttachmentRequest
from storage.models import Language


def object_keyboard(
    ctx: Context, object_id: int, language: Language
) -> InlineKeyboardAttachmentRequest:
    open_button = ctx.services.identity.open_app_button(
        label("button.open", language), f"o_{object_id}"
    )
    rename = keyboards.callback(label("button.rename", language), encode("rn", object_id))
    transfer = keyboards.callback(label("button.transfer", language), encode("tq", object_id))
    return keyboards.inline_keyboard([[open_button], [rename, transfer]])


async def send_object_card(
    ctx: Context, *, object_id: int, photo_id: int, preview_key: str, text: Markup
) -> None:
    """Queue the card; the sender uploads the preview to MAX (once per photo) before sending."""
    await ctx.reply(
        text,
        keyboard=object_keyboard(ctx, object_id, ctx.user.language),
        photo={"photo_id": photo_id, "key": preview_key},
    )
