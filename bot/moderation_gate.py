"""A banned person's updates: recorded as handled and not processed. The first of a burst gets
one polite message; the rest, for REFUSAL_EVERY_MIN minutes, pass in silence (counted in the
update's transaction, across replicas, by gallery.limits)."""

from __future__ import annotations

from bot.context import Context
from bot.dispatcher import Handler
from bot.texts import t
from gallery.limits import Ceiling, RateLimited, enforce, per_minutes, person_subject

REFUSAL_EVERY_MIN = 10


async def banned_gate(ctx: Context, call_next: Handler) -> None:
    user = ctx.user_
    if user is None or user.banned_at is None:
        await call_next(ctx)
        return
    if ctx.in_group:  # said there, it would tell the whole group of the ban
        return
    told = per_minutes(1, REFUSAL_EVERY_MIN)
    try:
        await enforce(ctx.conn, [Ceiling("banned_chat", person_subject(user.id), told)])
    except RateLimited:
        return
    await ctx.reply(t("mod.gate.banned", user.language))
