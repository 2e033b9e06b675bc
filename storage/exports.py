"""SQL for data exports: the rows of the build queue, and what a person's export holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from storage.db import Connection
from storage.models import Row

Deliver = Literal["chat", "link"]
ExportState = Literal["queued", "building", "ready", "failed"]
Failure = Literal["too_large", "error"]


class ExportRow(Row):
    id: int
    user_id: int
    deliver: Deliver
    state: ExportState
    failure: Failure | None
    media_key: str | None
    byte_size: int | None
    attempts: int
    created_at: datetime
    claimed_at: datetime | None
    finished_at: datetime | None
    expires_at: datetime


def _export(row: Any) -> ExportRow:
    return ExportRow.model_validate(dict(row))


async def lock_exports_of(conn: Connection, user_id: int) -> None:
    """Serialise one person's export requests until the transaction ends (class 5)."""
    await conn.execute("SELECT pg_advisory_xact_lock(5, hashtext($1::bigint::text))", user_id)


async def last_created(conn: Connection, user_id: int) -> datetime | None:
    found: datetime | None = await conn.fetchval(
        "SELECT max(created_at) FROM account_exports WHERE user_id = $1", user_id
    )
    return found


async def queue_export(
    conn: Connection, user_id: int, deliver: Deliver, keep: timedelta
) -> ExportRow:
    row = await conn.fetchrow(
        """INSERT INTO account_exports (user_id, deliver, expires_at)
           VALUES ($1, $2, now() + $3::interval) RETURNING *""",
        user_id, deliver, keep,
    )  # fmt: skip
    return _export(row)


async def get_export(conn: Connection, export_id: int) -> ExportRow | None:
    row = await conn.fetchrow("SELECT * FROM account_exports WHERE id = $1", export_id)
    return None if row is None else _export(row)


async def list_exports(conn: Connection, user_id: int, limit: int) -> list[ExportRow]:
    rows = await conn.fetch(
        """SELECT * FROM account_exports WHERE user_id = $1
           ORDER BY created_at DESC, id DESC LIMIT $2""",
        user_id, limit,
    )  # fmt: skip
    return [_export(r) for r in rows]


# A queued export, or one whose builder has held it past the lease (it died): taken by one
# builder only, whichever replica asks.
CLAIM = """
UPDATE account_exports SET state = 'building', claimed_at = now(), attempts = attempts + 1
WHERE id = (
    SELECT id FROM account_exports
    WHERE state = 'queued' OR (state = 'building' AND claimed_at < now() - $1::interval)
    ORDER BY created_at, id
    LIMIT 1 FOR UPDATE SKIP LOCKED
)
RETURNING *
"""


async def claim_next(conn: Connection, lease: timedelta) -> ExportRow | None:
    row = await conn.fetchrow(CLAIM, lease)
    return None if row is None else _export(row)


async def finish(
    conn: Connection, export_id: int, claimed_at: datetime, *, media_key: str | None,
    byte_size: int | None, failure: Failure | None, keep: timedelta,
) -> ExportRow | None:  # fmt: skip
    """Ready or failed, if this builder's claim still holds (a builder that outlived its lease
    and was replaced finishes nothing)."""
    row = await conn.fetchrow(
        """UPDATE account_exports
           SET state = CASE WHEN $4::text IS NULL THEN 'ready' ELSE 'failed' END,
               media_key = $2, byte_size = $3, failure = $4, finished_at = now(),
               expires_at = now() + $6::interval
           WHERE id = $1 AND state = 'building' AND claimed_at = $5 RETURNING *""",
        export_id, media_key, byte_size, failure, claimed_at, keep,
    )  # fmt: skip
    return None if row is None else _export(row)


async def take_expired(conn: Connection, limit: int) -> list[ExportRow]:
    rows = await conn.fetch(
        """DELETE FROM account_exports WHERE id IN (
               SELECT id FROM account_exports WHERE expires_at < now()
               AND state IN ('ready', 'failed') LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING *""",
        limit,
    )
    return [_export(r) for r in rows]


class ExportPhoto(Row):
    object_id: int
    key: str
    format: str
    byte_size: int


async def owned_photos(conn: Connection, user_id: int) -> list[ExportPhoto]:
    rows = await conn.fetch(
        """SELECT o.id AS object_id, p.original_key AS key, p.format, p.byte_size
           FROM art_objects o JOIN photos p ON p.id = o.photo_id
           WHERE o.owner_id = $1 ORDER BY o.id""",
        user_id,
    )
    return [ExportPhoto.model_validate(dict(r)) for r in rows]


async def owned_bytes(conn: Connection, user_id: int) -> int:
    total: int = await conn.fetchval(
        """SELECT COALESCE(sum(p.byte_size), 0)::bigint FROM art_objects o
           JOIN photos p ON p.id = o.photo_id WHERE o.owner_id = $1""",
        user_id,
    )
    return total


# What the JSON of an export says, one statement per part; every value is the person's own
# or one they were shown (the other side of their own offers, transfers and requests).
PARTS: dict[str, str] = {
    "profile": """
        SELECT id, first_name, last_name, username, language, privacy, first_seen_at
        FROM users WHERE id = $1""",
    "objects": """
        SELECT o.id, o.title, o.description, o.creator_id, o.created_at, o.updated_at,
               p.sha256, p.format, p.width, p.height, p.byte_size, p.taken_at,
               'photos/' || o.id || '.' || p.format AS photo_file,
               (SELECT COALESCE(json_agg(json_build_object(
                    'from_user_id', h.from_user_id, 'to_user_id', h.to_user_id,
                    'reason', h.reason, 'at', h.created_at) ORDER BY h.created_at, h.id), '[]')
                FROM ownership_history h WHERE h.object_id = o.id) AS history
        FROM art_objects o JOIN photos p ON p.id = o.photo_id
        WHERE o.owner_id = $1 ORDER BY o.id""",
    "created_elsewhere": """
        SELECT o.id, o.title, o.created_at FROM art_objects o
        WHERE o.creator_id = $1 AND o.owner_id <> $1 ORDER BY o.id""",
    "favorites": """
        SELECT object_id, created_at FROM favorites WHERE user_id = $1
        ORDER BY created_at, object_id""",
    "trades": """
        SELECT t.id, CASE WHEN t.proposer_id = $1 THEN 'proposer' ELSE 'recipient' END AS role,
               t.proposer_id, t.recipient_id, t.status, t.message, t.created_at, t.decided_at,
               (SELECT COALESCE(json_agg(json_build_object('side', i.side, 'title', i.title,
                    'object_id', i.object_id) ORDER BY i.id), '[]')
                FROM trade_items i WHERE i.trade_id = t.id) AS items
        FROM trades t WHERE $1 IN (t.proposer_id, t.recipient_id) ORDER BY t.id""",
    "transfers": """
        SELECT id, CASE WHEN from_user_id = $1 THEN 'giver' ELSE 'receiver' END AS role,
               object_id, title, kind, status, from_user_id, to_user_id, created_at, decided_at
        FROM transfers WHERE $1 IN (from_user_id, to_user_id) ORDER BY id""",
    "profile_requests": """
        SELECT id, CASE WHEN requester_id = $1 THEN 'requester' ELSE 'target' END AS role,
               requester_id, target_id, status, created_at, decided_at
        FROM profile_requests WHERE $1 IN (requester_id, target_id) ORDER BY id""",
}


async def export_data(conn: Connection, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every part of PARTS as JSON-ready rows (timestamps as datetimes)."""
    return {name: [dict(r) for r in await conn.fetch(sql, user_id)] for name, sql in PARTS.items()}
