"""Deleting an account, in two steps: a warning that counts what will happen, with a one-time
token bound to those counts, and the confirmation that consumes the token and deletes.

What goes and what stays, and why, is docs/account-deletion.md. The deletion is one
transaction under the person's row lock: two confirmations racing delete once, and a
confirmation whose counts no longer match what was shown is refused (the person is shown the
new ones)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gallery.notices import notify
from gallery.notices.kinds import AccessDecided
from gallery.objects.edit import delete_files
from gallery.ownership.voiding import tell_voided
from gallery.retry import retry_on_deadlock
from storage import accounts, bans, ownership, trade_views
from storage.accounts import DeletionSummary
from storage.db import Connection
from storage.errors import Conflict, DomainError
from storage.media import MediaStore
from storage.objects import change_visibility

TOKEN_BYTES = 16  # 128 bits


class DeletionTokenRefused(DomainError):
    """Unknown, someone else's, used, or expired: all look alike to the asker."""

    code = "deletion_token_invalid"
    status = 410


class DeletionChanged(Conflict):
    code = "deletion_changed"


@dataclass(frozen=True)
class DeletionWarning:
    token: str
    summary: DeletionSummary
    expires_at: datetime


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def warn(conn: Connection, user_id: int, ttl: timedelta) -> DeletionWarning:
    """What deleting would do now, and the token that confirms exactly that."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    async with conn.transaction():
        summary = await accounts.summary(conn, user_id)
        expires_at = await accounts.add_token(conn, user_id, token_hash(token), summary, ttl)
    return DeletionWarning(token, summary, expires_at)


async def confirm(conn: Connection, store: MediaStore, user_id: int, token: str) -> None:
    """Delete the account `token` was issued to `user_id` for. Refused, changing nothing,
    for a token that is not theirs, used, or expired, and when the counts they were shown
    changed (DeletionChanged: ask for a new warning)."""

    async def attempt() -> list[str] | None:
        async with conn.transaction():
            if not await accounts.lock_person(conn, user_id):
                raise refused()
            taken = await accounts.take_token(conn, token_hash(token), user_id)
            if taken is None or taken.expires_at <= datetime.now(UTC):
                raise refused()
            if await accounts.summary(conn, user_id) != taken.shown:
                return None  # returned, not raised: the token stays used up
            return await _delete(conn, user_id)

    keys = await retry_on_deadlock(attempt)
    if keys is None:
        raise DeletionChanged("what deleting would do has changed since the warning; look again")
    await delete_files(store, keys)  # after the commit: what is left the orphan sweep takes


def refused() -> DeletionTokenRefused:
    return DeletionTokenRefused("this confirmation is not valid any more; ask again")


async def _delete(conn: Connection, user_id: int) -> list[str]:
    """The deletion itself, in the caller's transaction; the media keys to remove after it."""
    await change_visibility(conn, user_id)  # no offer is checked against them meanwhile
    await tell_voided(conn, await ownership.void_party(conn, user_id, "deleted"), skip=user_id)
    await _close_requests(conn, user_id)
    photos = await accounts.owned_photos(conn, user_id)
    keys = [key for photo in photos for key in photo.keys]
    keys += await accounts.export_keys(conn, user_id)
    tombstone = await accounts.add_tombstone(conn)
    await accounts.erase(conn, user_id, tombstone, [photo.photo_id for photo in photos])
    return keys


async def _close_requests(conn: Connection, user_id: int) -> None:
    """The other side of each pending access request hears it ended, as after a ban."""
    closed = await bans.cancel_requests_of(conn, user_id)
    names = await trade_views.names(conn, [user_id])
    for request in closed:
        asked = request.target_id == user_id
        to_user = request.requester_id if asked else request.target_id
        notice = AccessDecided(outcome="closed" if asked else "cancelled",
                               other_name=names.get(user_id, "—"))  # fmt: skip
        await notify(conn, to_user, notice, dedupe_key=f"request:{request.id}:gone:{to_user}")
