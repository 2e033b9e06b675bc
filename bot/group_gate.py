"""Group chats: what the bot is not asked never reaches the database. Chatter, photos posted
without asking, members coming and going are dropped before the update's transaction, so a
busy group costs nothing and its people are not recorded for having talked near the bot."""

from __future__ import annotations

from bot.context import Context
from bot.dispatcher import Handler
from bot.group_address import addressed
from bot.types import BotAddedUpdate, BotRemovedUpdate, MessageCallbackUpdate, MessageCreatedUpdate


async def group_gate(ctx: Context, call_next: Handler) -> None:
    if ctx.in_group and not asks_the_bot(ctx):
        return
    await call_next(ctx)


def asks_the_bot(ctx: Context) -> bool:
    update = ctx.update
    if isinstance(update, MessageCreatedUpdate):
        body, identity = update.message.body, ctx.services.identity
        if body is None:
            return False
        asked = addressed(body.text, body.markup, identity.username, identity.user_id)
        return asked is not None and asked.answered
    return isinstance(update, MessageCallbackUpdate | BotAddedUpdate | BotRemovedUpdate)
