"""Asking to see a collection that is not public, and the owner's answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from gallery.notices import notify
from gallery.notices.kinds import AccessDecided, AccessRequested
from gallery.ownership.voiding import void_hidden
from gallery.retry import retry_on_deadlock
from storage import profiles
from storage.db import Connection
from storage.errors import Conflict, DomainError, Forbidden, NotFound
from storage.objects import change_visibility
from storage.profiles import ProfileRequest


async def requests(
    conn: Connection, user_id: int, box: Literal["incoming", "outgoing"], pending_only: bool
) -> list[ProfileRequest]:
    return await profiles.list_requests(conn, user_id, box, pending_only)


async def request_access(
    conn: Connection, requester_id: int, target_id: int, ttl: timedelta
) -> ProfileRequest:
    """Ask `target_id` to see their collection; they get a push with Approve / Decline."""
    if requester_id == target_id:
        raise DomainError("this is your own profile", code="own_profile")
    async with conn.transaction():
        target = await profiles.profile_facts(conn, target_id, requester_id)
        if target.user.banned_at is not None:  # a banned person is nobody here
            raise NotFound(f"user {target_id} does not exist", code="user_not_found")
        if target.user.privacy == "public":
            raise Conflict("this collection is public; no need to ask", code="profile_public")
        if target.user.privacy == "private":
            raise Conflict(
                "this collection is private; its owner does not take requests",
                code="profile_private",
            )
        existing = await profiles.access_between(conn, requester_id, target_id)
        if existing is not None and existing.status == "approved":
            raise Conflict("you already have access", code="already_approved")
        request = await profiles.create_request(conn, requester_id, target_id, ttl)
        notice = AccessRequested(request_id=request.id, requester_name=request.requester_name)
        await notify(
            conn, target_id, notice, dedupe_key=f"profile-request:{request.id}",
            sender=requester_id, burst="made",
        )  # fmt: skip
    return request


async def approve(conn: Connection, request_id: int, user_id: int) -> ProfileRequest:
    return await _decide(conn, request_id, user_id, "approved", as_target=True)


async def decline(conn: Connection, request_id: int, user_id: int) -> ProfileRequest:
    return await _decide(conn, request_id, user_id, "declined", as_target=True)


async def cancel(conn: Connection, request_id: int, user_id: int) -> ProfileRequest:
    return await _decide(conn, request_id, user_id, "cancelled", as_target=False)


async def revoke(conn: Connection, request_id: int, user_id: int) -> ProfileRequest:
    """The target takes an approval back; the collection closes to them at once."""

    async def attempt() -> ProfileRequest:
        async with conn.transaction():
            request = await _own_request(conn, request_id, user_id, as_target=True)
            await change_visibility(conn, user_id)
            decided = await profiles.decide(conn, request.id, "revoked", expected="approved")
            await _tell(conn, decided)
            await void_hidden(conn, user_id)
        return decided

    return await retry_on_deadlock(attempt)


async def _decide(
    conn: Connection,
    request_id: int,
    user_id: int,
    status: profiles.RequestStatus,
    *,
    as_target: bool,
) -> ProfileRequest:
    async with conn.transaction():
        request = await _own_request(conn, request_id, user_id, as_target=as_target)
        decided = await profiles.decide(conn, request.id, status, expected="pending")
        await _tell(conn, decided)
    return decided


async def _own_request(
    conn: Connection, request_id: int, user_id: int, *, as_target: bool
) -> ProfileRequest:
    """The request, locked, if `user_id` is the side that may act; NotFound to anyone else."""
    request = await profiles.get_request(conn, request_id, lock=True)
    acting = request.target_id if as_target else request.requester_id
    if user_id not in (request.target_id, request.requester_id):
        raise profiles_not_found(request_id)
    if acting != user_id:
        raise Forbidden("the other side of this request decides that", code="not_your_side")
    return request


def profiles_not_found(request_id: int) -> DomainError:
    return NotFound(f"profile request {request_id} does not exist", code="request_not_found")


async def _tell(conn: Connection, request: ProfileRequest) -> None:
    """The requester hears every outcome but their own cancellation; the target hears that."""
    if request.status == "cancelled":
        to, name, sender = request.target_id, request.requester_name, request.requester_id
    else:
        to, name, sender = request.requester_id, request.target_name, request.target_id
    assert request.status != "pending"
    await notify(
        conn, to, AccessDecided(outcome=request.status, other_name=name),
        dedupe_key=f"profile-request:{request.id}:{request.status}",
        sender=None if request.status == "expired" else sender,
        burst="withdrawn" if request.status == "cancelled" else None,
    )  # fmt: skip


async def expire_profile_requests(conn: Connection) -> int:
    """Pending requests past their time; each requester hears it once (safe on every replica)."""
    async with conn.transaction():
        expired = await profiles.expire_requests(conn)
        for request in expired:
            await _tell(conn, request)
    return len(expired)
