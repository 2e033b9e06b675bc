"""Asking for access from an object link: the owner of an object the asker cannot see is asked,
as from their profile. What the asker hears never depends on whether the object exists, is
hidden, or whose it is: every outcome answers alike."""

from __future__ import annotations

from datetime import timedelta

from gallery.profiles.requests import request_access
from storage import objects
from storage.db import Connection
from storage.errors import DomainError, NotFound


async def ask_for_object(
    conn: Connection, requester_id: int, object_id: int, ttl: timedelta
) -> None:
    """Ask the owner, when the object exists, is not hidden, is not visible to the requester,
    and its owner takes requests; otherwise nothing. Returns alike in every case."""
    try:
        if await objects.can_see(conn, object_id, requester_id):
            return
        found = await objects.get_object(conn, object_id)
    except NotFound:
        return
    if found.hidden_at is not None:  # an operator hid it: nobody is asked about it
        return
    try:
        await request_access(conn, requester_id, found.owner_id, ttl)
    except DomainError:  # private, banned, already asked: the asker must not learn which
        return
