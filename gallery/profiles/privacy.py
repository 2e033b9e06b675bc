"""Who may see a collection: its owner's privacy, and the profile others see."""

from __future__ import annotations

from gallery.ownership.voiding import void_hidden
from gallery.retry import retry_on_deadlock
from storage import profiles
from storage.db import Connection
from storage.errors import NotFound
from storage.models import Language, Privacy, UserRow
from storage.objects import change_visibility
from storage.profiles import ProfileFacts


async def change_privacy(conn: Connection, user_id: int, privacy: Privacy) -> UserRow:
    """Takes effect at once everywhere: visibility is read from this row on every request.

    Going private ends every approval for good ("only me" means it): returning to approved-only
    later does not quietly reopen the collection to people approved before. Pending trades with
    an object one side may no longer see are voided, and both sides hear it."""

    async def attempt() -> UserRow:
        async with conn.transaction():
            user = await profiles.set_privacy(conn, user_id, privacy)  # the row lock first
            await change_visibility(conn, user_id)
            if privacy == "private":
                await profiles.revoke_all_approvals(conn, user_id)
            await void_hidden(conn, user_id)
        return user

    return await retry_on_deadlock(attempt)  # voiding locks trades other movers may hold


async def change_language(conn: Connection, user_id: int, language: Language) -> UserRow:
    return await profiles.set_language(conn, user_id, language)


async def profile(conn: Connection, user_id: int, viewer: int | None) -> ProfileFacts:
    """A person's profile; how much they own, made and were favourited only to those who may
    see the collection (the counts are part of what privacy hides)."""
    facts = await profiles.profile_facts(conn, user_id, viewer)
    if facts.user.banned_at is not None and viewer != user_id:  # a banned person is nobody here
        raise NotFound(f"user {user_id} does not exist", code="user_not_found")
    if facts.can_view:
        return facts
    return facts.model_copy(update={"owned": None, "created": None, "favorites_received": None})
