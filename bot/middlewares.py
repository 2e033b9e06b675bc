"""Middlewares: the update's transaction, with its idempotency key, the sender's user row and the
chat limit's count taken in one statement (storage/updates.py INGEST)."""

from __future__ import annotations

from bot.context import Context, dialog_chat_of, sender_of
from bot.dispatcher import Handler
from bot.limits import chat_ceiling
from gallery.inputs import clean_name
from storage.updates import ingest_update
from storage.users import Profile, language_from_locale


async def database_middleware(ctx: Context, call_next: Handler) -> None:
    """One transaction per update. The key is recorded in it, so the handler's effects and the
    "handled" mark commit together: a redelivered or concurrent copy waits on the key's row and
    then finds it taken."""
    sender = profile_of(ctx)
    if sender is not None:
        ctx.chat_ceiling = chat_ceiling(ctx.update, ctx.services.settings.limits, sender.user_id)
    count = None if ctx.chat_ceiling is None else (*ctx.chat_ceiling.key, ctx.chat_ceiling.cost)
    async with ctx.services.pool.acquire() as conn, conn.transaction():
        arrival = await ingest_update(conn, ctx.key, ctx.update.update_type, sender, count)
        if arrival is None:
            ctx.duplicate = True
            return
        ctx.conn_, ctx.user_, ctx.chat_hit = conn, arrival.user, arrival.counter
        try:
            await call_next(ctx)
        finally:
            ctx.conn_ = None


def profile_of(ctx: Context) -> Profile | None:
    """The sender as MAX describes them; None for updates without a person (or from a bot)."""
    sender = sender_of(ctx.update)
    if sender is None or sender.is_bot:
        return None
    return Profile(
        user_id=sender.user_id,
        first_name=clean_name(sender.first_name),
        last_name=None if sender.last_name is None else clean_name(sender.last_name),
        username=None if sender.username is None else clean_name(sender.username),
        language=language_from_locale(getattr(ctx.update, "user_locale", None)),
        avatar_url=getattr(sender, "avatar_url", None),
        dialog_chat_id=dialog_chat_of(ctx.update),
    )
