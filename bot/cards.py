"""The object card: the preview as an image, the title, and what the owner can do with it."""

from __future__ import annotations

from datetime import datetime

from bot import holds, keyboards
from bot.context import Context
from bot.markup import Markup, join_lines
from bot.payloads import encode
from bot.texts import label
from bot.types import Button, InlineKeyboardAttachmentRequest
from gallery.ownership.holds import held_until
from storage.models import Language


def object_keyboard(
    ctx: Context, object_id: int, language: Language, *, held: bool = False
) -> InlineKeyboardAttachmentRequest:
    """`held`: the object is on a trade hold (docs/holds.md), so no Transfer button."""
    open_button = ctx.services.identity.open_app_button(
        label("button.open", language), f"o_{object_id}"
    )
    rename = keyboards.callback(label("button.rename", language), encode("rn", object_id))
    transfer = keyboards.callback(label("button.transfer", language), encode("tq", object_id))
    share = keyboards.callback(label("share.button", language), encode("sh", object_id))
    rows: list[list[Button]] = [[open_button], [rename] if held else [rename, transfer], [share]]
    return keyboards.inline_keyboard(rows)


def with_hold(ctx: Context, text: Markup, received_at: datetime | None) -> Markup:
    """A card's text, with the hold's line while the object is held (docs/holds.md)."""
    until = held_until(received_at, ctx.services.settings.rules.hold_hours)
    return text if until is None else join_lines([text, holds.card_line(ctx.user.language, until)])


async def send_object_card(
    ctx: Context, *, object_id: int, photo_id: int, preview_key: str, text: Markup,
    held_until: datetime | None = None,
) -> None:  # fmt: skip
    """Queue the card; the sender uploads the preview to MAX (once per photo) before sending.
    `held_until` (gallery.ownership.holds.held_until): the card says how long the hold lasts."""
    if held_until is not None:
        text = join_lines([text, holds.card_line(ctx.user.language, held_until)])
    await ctx.reply(
        text,
        keyboard=object_keyboard(ctx, object_id, ctx.user.language, held=held_until is not None),
        photo={"photo_id": photo_id, "key": preview_key},
    )
