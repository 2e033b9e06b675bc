"""SQL for deleting an account: the confirmation tokens, what the warning counts, and the
statements that hand what others keep to a tombstone and remove the rest
(docs/account-deletion.md says what goes and what stays, table by table)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from storage.db import Connection
from storage.models import Row

# What a tombstone is called wherever a name is shown (histories, offers, transfers).
DELETED_NAME = "deleted account"


class DeletionSummary(Row):
    """What the warning tells the person will happen; the confirmation must match it."""

    owned_objects: int
    open_trades: int
    open_transfers: int
    open_requests: int


class DeletionToken(Row):
    user_id: int
    shown: DeletionSummary
    expires_at: datetime


SUMMARY = """
SELECT (SELECT count(*) FROM art_objects WHERE owner_id = $1) AS owned_objects,
       (SELECT count(*) FROM trades WHERE status = 'pending'
          AND $1 IN (proposer_id, recipient_id)) AS open_trades,
       (SELECT count(*) FROM transfers WHERE status = 'pending'
          AND $1 IN (from_user_id, to_user_id)) AS open_transfers,
       (SELECT count(*) FROM profile_requests WHERE status = 'pending'
          AND $1 IN (requester_id, target_id)) AS open_requests
"""


async def summary(conn: Connection, user_id: int) -> DeletionSummary:
    row = await conn.fetchrow(SUMMARY, user_id)
    assert row is not None
    return DeletionSummary.model_validate(dict(row))


async def add_token(
    conn: Connection, user_id: int, token_hash: bytes, shown: DeletionSummary, ttl: timedelta
) -> datetime:
    expires_at: datetime = await conn.fetchval(
        """INSERT INTO account_deletions (token_hash, user_id, shown, expires_at)
           VALUES ($1, $2, $3, now() + $4::interval) RETURNING expires_at""",
        token_hash, user_id, shown.model_dump(), ttl,
    )  # fmt: skip
    return expires_at


async def take_token(conn: Connection, token_hash: bytes, user_id: int) -> DeletionToken | None:
    """Consume the token if it is `user_id`'s (expired or not: the caller judges); a second
    taker of the same token waits for the first and finds nothing."""
    row = await conn.fetchrow(
        """DELETE FROM account_deletions WHERE token_hash = $1 AND user_id = $2
           RETURNING user_id, shown, expires_at""",
        token_hash, user_id,
    )  # fmt: skip
    return None if row is None else DeletionToken.model_validate(dict(row))


async def prune_tokens(conn: Connection) -> int:
    status = await conn.execute("DELETE FROM account_deletions WHERE expires_at < now()")
    return int(status.split()[-1])


async def lock_person(conn: Connection, user_id: int) -> bool:
    """The person's row, locked until the transaction ends: one deletion at a time."""
    found = await conn.fetchval(
        "SELECT true FROM users WHERE id = $1 AND deleted_at IS NULL FOR UPDATE", user_id
    )
    return bool(found)


class OwnedPhoto(Row):
    photo_id: int
    keys: list[str]


async def owned_photos(conn: Connection, user_id: int) -> list[OwnedPhoto]:
    """The photos of the person's objects, and their uploads no object uses: both go."""
    rows = await conn.fetch(
        """SELECT p.id AS photo_id, ARRAY[p.original_key, p.preview_key, p.thumb_key] AS keys
           FROM photos p LEFT JOIN art_objects o ON o.photo_id = p.id
           WHERE o.owner_id = $1 OR (o.id IS NULL AND p.uploaded_by = $1)""",
        user_id,
    )
    return [OwnedPhoto.model_validate(dict(r)) for r in rows]


async def export_keys(conn: Connection, user_id: int) -> list[str]:
    rows = await conn.fetch(
        "SELECT media_key FROM account_exports WHERE user_id = $1 AND media_key IS NOT NULL",
        user_id,
    )
    return [str(r["media_key"]) for r in rows]


async def add_tombstone(conn: Connection) -> int:
    """A user row nobody can log in as, named DELETED_NAME, that nobody can reach."""
    tombstone: int = await conn.fetchval(
        """INSERT INTO users (id, first_name, reachable, deleted_at)
           VALUES (-nextval('deleted_account_ids'), $1, false, now()) RETURNING id""",
        DELETED_NAME,
    )
    return tombstone


# After their objects and photos (erase): what others keep, handed to the tombstone ($2), what
# goes with the person, then the person's row. Every column that can name a person is in
# docs/account-deletion.md, and tests/account/test_deletion_tables.py checks each.
ERASE: tuple[str, ...] = (
    "UPDATE art_objects SET creator_id = $2 WHERE creator_id = $1",
    "UPDATE photos SET uploaded_by = $2 WHERE uploaded_by = $1",
    "UPDATE ownership_history SET from_user_id = $2 WHERE from_user_id = $1",
    "UPDATE ownership_history SET to_user_id = $2 WHERE to_user_id = $1",
    "UPDATE trades SET proposer_id = $2 WHERE proposer_id = $1",
    "UPDATE trades SET recipient_id = $2 WHERE recipient_id = $1",
    "UPDATE trade_items SET owner_id = $2 WHERE owner_id = $1",
    "UPDATE transfers SET from_user_id = $2 WHERE from_user_id = $1",
    "UPDATE transfers SET to_user_id = $2 WHERE to_user_id = $1",
    "UPDATE reports SET reporter_id = $2 WHERE reporter_id = $1",
    "UPDATE outbox SET actor_id = $2 WHERE actor_id = $1",
    "DELETE FROM outbox WHERE user_id = $1",
    "DELETE FROM profile_requests WHERE $1 IN (requester_id, target_id)",
    "DELETE FROM favorites WHERE user_id = $1",
    "DELETE FROM auth_sessions WHERE user_id = $1",
    "DELETE FROM bot_dialogs WHERE user_id = $1",
    "DELETE FROM group_photo_claims WHERE user_id = $1",
    "UPDATE group_chats SET added_by = NULL WHERE added_by = $1",
    "DELETE FROM account_exports WHERE user_id = $1",
    "DELETE FROM account_deletions WHERE user_id = $1",
    # abuse counters stay for the account rules, so deleting and starting again is no way
    # around them; they expire with their window
    "DELETE FROM rate_counters"
    " WHERE subject = 'u:' || $1::bigint::text AND rule NOT LIKE 'account%'",
    "DELETE FROM users WHERE id = $1",
)


async def erase(conn: Connection, user_id: int, tombstone: int, photo_ids: list[int]) -> None:
    """`photo_ids`: the photos of owned_photos, read before their objects go."""
    await conn.execute("DELETE FROM art_objects WHERE owner_id = $1", user_id)
    await conn.execute("DELETE FROM photos WHERE id = ANY($1::bigint[])", photo_ids)
    for statement in ERASE:
        args: list[Any] = [user_id, tombstone] if "$2" in statement else [user_id]
        await conn.execute(statement, *args)
