"""SQL for profiles: privacy, what a viewer may see, and access requests between two people."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import asyncpg

from storage.db import Connection
from storage.errors import Conflict, NotFound
from storage.models import Language, Privacy, Row, UserRow
from storage.objects import visible_to

RequestStatus = Literal["pending", "approved", "declined", "cancelled", "expired", "revoked"]


class ProfileFacts(Row):
    user: UserRow
    can_view: bool
    owned: int | None  # None where the viewer may not see the collection (gallery.profiles)
    created: int | None
    favorites_received: int | None


class ProfileRequest(Row):
    id: int
    requester_id: int
    target_id: int
    status: RequestStatus
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None
    requester_name: str
    target_name: str


async def set_privacy(conn: Connection, user_id: int, privacy: Privacy) -> UserRow:
    row = await conn.fetchrow(
        "UPDATE users SET privacy = $2 WHERE id = $1 RETURNING *", user_id, privacy
    )
    if row is None:
        raise NotFound(f"user {user_id} does not exist")
    return UserRow.model_validate(dict(row))


async def set_language(conn: Connection, user_id: int, language: Language) -> UserRow:
    row = await conn.fetchrow(
        "UPDATE users SET language = $2 WHERE id = $1 RETURNING *", user_id, language
    )
    if row is None:
        raise NotFound(f"user {user_id} does not exist")
    return UserRow.model_validate(dict(row))


# counts of what the viewer may see: an object an operator hid counts for its owner only
SHOWN = "(o.hidden_at IS NULL OR o.owner_id = $2::bigint)"
FACTS = f"""
SELECT u.*, {visible_to("u", "$2")} AS can_view,
       (SELECT count(*) FROM art_objects o WHERE o.owner_id = u.id AND {SHOWN}) AS owned,
       (SELECT count(*) FROM art_objects o WHERE o.creator_id = u.id AND {SHOWN}) AS created,
       (SELECT count(*) FROM favorites f JOIN art_objects o ON o.id = f.object_id
        WHERE o.owner_id = u.id AND {SHOWN}) AS favorites_received
FROM users u WHERE u.id = $1
"""


async def profile_facts(conn: Connection, user_id: int, viewer: int | None) -> ProfileFacts:
    row = await conn.fetchrow(FACTS, user_id, viewer)
    if row is None:
        raise NotFound(f"user {user_id} does not exist", code="user_not_found")
    facts = dict(row)
    counts = {k: facts.pop(k) for k in ("can_view", "owned", "created", "favorites_received")}
    return ProfileFacts(user=UserRow.model_validate(facts), **counts)


REQUEST_COLUMNS = """
r.id, r.requester_id, r.target_id, r.status, r.expires_at, r.created_at, r.decided_at,
concat_ws(' ', NULLIF(a.first_name, ''), a.last_name) AS requester_name,
concat_ws(' ', NULLIF(b.first_name, ''), b.last_name) AS target_name
"""
REQUEST_FROM = (
    "profile_requests r JOIN users a ON a.id = r.requester_id JOIN users b ON b.id = r.target_id"
)


async def create_request(
    conn: Connection, requester_id: int, target_id: int, ttl: timedelta
) -> ProfileRequest:
    try:
        request_id = await conn.fetchval(
            "INSERT INTO profile_requests (requester_id, target_id, expires_at) "
            "VALUES ($1, $2, now() + $3::interval) RETURNING id",
            requester_id,
            target_id,
            ttl,
        )
    except asyncpg.UniqueViolationError:
        raise Conflict(
            "you already asked; the request is waiting for an answer", code="request_pending"
        ) from None
    return await get_request(conn, request_id)


async def get_request(conn: Connection, request_id: int, *, lock: bool = False) -> ProfileRequest:
    suffix = " FOR UPDATE OF r" if lock else ""
    row = await conn.fetchrow(
        f"SELECT {REQUEST_COLUMNS} FROM {REQUEST_FROM} WHERE r.id = $1{suffix}", request_id
    )
    if row is None:
        raise NotFound(f"profile request {request_id} does not exist", code="request_not_found")
    return ProfileRequest.model_validate(dict(row))


async def access_between(
    conn: Connection, requester_id: int, target_id: int
) -> ProfileRequest | None:
    """The pending or approved request from `requester_id` to `target_id`, if any."""
    row = await conn.fetchrow(
        f"SELECT {REQUEST_COLUMNS} FROM {REQUEST_FROM} WHERE r.requester_id = $1 "
        "AND r.target_id = $2 AND r.status IN ('pending', 'approved') ORDER BY r.id DESC LIMIT 1",
        requester_id,
        target_id,
    )
    return None if row is None else ProfileRequest.model_validate(dict(row))


async def decide(
    conn: Connection, request_id: int, status: RequestStatus, expected: RequestStatus
) -> ProfileRequest:
    """Move a request from `expected` to `status`; Conflict naming its state if it moved on."""
    updated = await conn.fetchval(
        "UPDATE profile_requests SET status = $2, decided_at = now() "
        "WHERE id = $1 AND status = $3 RETURNING id",
        request_id,
        status,
        expected,
    )
    if updated is None:
        current = await get_request(conn, request_id)
        raise Conflict(f"the request is {current.status}", code=f"request_{current.status}")
    return await get_request(conn, request_id)


async def revoke_all_approvals(conn: Connection, target_id: int) -> int:
    """Every approval `target_id` gave ends; how many (no one is told: see gallery.profiles)."""
    revoked = await conn.fetch(
        "UPDATE profile_requests SET status = 'revoked', decided_at = now() "
        "WHERE target_id = $1 AND status = 'approved' RETURNING id",
        target_id,
    )
    return len(revoked)


async def list_requests(
    conn: Connection, user_id: int, box: Literal["incoming", "outgoing"], pending_only: bool
) -> list[ProfileRequest]:
    column = "r.target_id" if box == "incoming" else "r.requester_id"
    status = " AND r.status = 'pending'" if pending_only else ""
    rows = await conn.fetch(
        f"SELECT {REQUEST_COLUMNS} FROM {REQUEST_FROM} WHERE {column} = $1{status} "
        "ORDER BY r.created_at DESC, r.id DESC LIMIT 100",
        user_id,
    )
    return [ProfileRequest.model_validate(dict(r)) for r in rows]


async def expire_requests(conn: Connection) -> list[ProfileRequest]:
    ids = await conn.fetch(
        "UPDATE profile_requests SET status = 'expired', decided_at = now() "
        "WHERE status = 'pending' AND expires_at < now() RETURNING id"
    )
    return [await get_request(conn, r["id"]) for r in ids]
