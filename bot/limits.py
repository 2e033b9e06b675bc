"""The chat's abuse limits: photos and other messages (button presses included) one person may
send in a minute. Over the limit an update is recorded as handled and not processed; the first
one of the burst gets one polite message, the rest pass in silence."""

from __future__ import annotations

from bot.context import Context
from bot.dispatcher import Handler
from bot.texts import t
from bot.types import ImageAttachment, MessageCreatedUpdate, Update
from config.limits import LimitsSettings
from gallery.limits import Ceiling, RateLimited, person_per_minute, refusal


def chat_ceiling(update: Update, limits: LimitsSettings, user_id: int) -> Ceiling | None:
    """What a person's update counts against: each image in it, or the update as a command."""
    if not limits.enabled:
        return None
    images = 0
    if isinstance(update, MessageCreatedUpdate):
        images = sum(isinstance(a, ImageAttachment) for a in update.message.attachments)
    if images:
        rate = limits.chat_photos_per_minute
        return person_per_minute("chat_photo", user_id, rate, images) if rate else None
    rate = limits.chat_commands_per_minute
    return person_per_minute("chat_command", user_id, rate) if rate else None


def chat_refusal(ctx: Context) -> RateLimited | None:
    """The refusal when the count taken for this update went over its ceiling."""
    ceiling, hit = ctx.chat_ceiling, ctx.chat_hit
    if ceiling is None or hit is None or hit.hits <= ceiling.item.amount:
        return None
    return refusal([hit], {(ceiling.rule, ceiling.subject): ceiling})


async def limits_middleware(ctx: Context, call_next: Handler) -> None:
    """The update was counted by database_middleware, in its transaction (storage/updates.py
    INGEST): a person's updates queue on their counter's row, so exactly one of a burst sees the
    limit crossed, whichever replica handles it."""
    refused = chat_refusal(ctx)
    if refused is None:
        await call_next(ctx)
        return
    if refused.first:
        kind = "photos" if refused.rule == "chat_photo" else "commands"
        await ctx.reply(t(f"slow_down.{kind}", ctx.user.language, seconds=refused.retry_after_s))
