"""The chat's abuse limits: photos and other messages (button presses included) one person may
send in a minute. Over the limit an update is recorded as handled and not processed; the first
one of the burst gets one polite message, the rest pass in silence."""

from __future__ import annotations

from bot.context import Context
from bot.dispatcher import Handler
from bot.texts import t
from bot.types import ImageAttachment, MessageCreatedUpdate
from gallery.limits import Ceiling, RateLimited, enforce, person_per_minute


def chat_ceiling(ctx: Context) -> Ceiling | None:
    """What this update counts against: each image in it, or the update as a command."""
    limits, user = ctx.services.settings.limits, ctx.user_
    if not limits.enabled or user is None:
        return None
    update = ctx.update
    images = 0
    if isinstance(update, MessageCreatedUpdate):
        images = sum(isinstance(a, ImageAttachment) for a in update.message.attachments)
    if images:
        rate = limits.chat_photos_per_minute
        return person_per_minute("chat_photo", user.id, rate, images) if rate else None
    rate = limits.chat_commands_per_minute
    return person_per_minute("chat_command", user.id, rate) if rate else None


async def limits_middleware(ctx: Context, call_next: Handler) -> None:
    """Counted in the update's transaction: a person's updates queue on their counter's row, so
    exactly one of a burst sees the limit crossed, whichever replica handles it."""
    ceiling = chat_ceiling(ctx)
    if ceiling is None:
        await call_next(ctx)
        return
    try:
        await enforce(ctx.conn, [ceiling])
    except RateLimited as refused:
        if refused.first:
            kind = "photos" if ceiling.rule == "chat_photo" else "commands"
            await ctx.reply(t(f"slow_down.{kind}", ctx.user.language,
                              seconds=refused.retry_after_s))  # fmt: skip
        return
    await call_next(ctx)
