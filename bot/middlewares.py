"""Middlewares: the update's transaction (with its idempotency key) and the sender's user row."""

from __future__ import annotations

from bot.context import Context, sender_of
from bot.dispatcher import Handler
from gallery.inputs import clean_name
from storage.updates import claim_update
from storage.users import upsert_user


async def database_middleware(ctx: Context, call_next: Handler) -> None:
    """One transaction per update. The key is recorded in it, so the handler's effects and the
    "handled" mark commit together: a redelivered or concurrent copy waits on the key's row and
    then finds it taken."""
    async with ctx.services.pool.acquire() as conn, conn.transaction():
        if not await claim_update(conn, ctx.key, ctx.update.update_type):
            ctx.duplicate = True
            return
        ctx.conn_ = conn
        try:
            await call_next(ctx)
        finally:
            ctx.conn_ = None


async def user_middleware(ctx: Context, call_next: Handler) -> None:
    sender = sender_of(ctx.update)
    if sender is not None and not sender.is_bot:
        chat_id = ctx.chat_id if ctx.chat_id is not None and ctx.chat_id > 0 else None
        ctx.user_ = await upsert_user(
            ctx.conn,
            user_id=sender.user_id,
            first_name=clean_name(sender.first_name),
            last_name=None if sender.last_name is None else clean_name(sender.last_name),
            username=None if sender.username is None else clean_name(sender.username),
            locale=getattr(ctx.update, "user_locale", None),
            avatar_url=getattr(sender, "avatar_url", None),
            dialog_chat_id=chat_id,
        )
    await call_next(ctx)
