"""SQL for transfers: one object handed over by QR token or to a named person.

Only the sha256 of a QR token is stored; callers hash before they look anything up.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import asyncpg

from storage.db import Connection
from storage.errors import Conflict
from storage.models import Row
from storage.objects import OWNER_NAME, object_visible_to

TransferStatus = Literal["pending", "claimed", "declined", "cancelled", "expired", "invalidated"]
TransferKind = Literal["qr", "direct"]


class TransferRow(Row):
    id: int
    object_id: int
    from_user_id: int
    kind: TransferKind
    token_hash: bytes | None
    to_user_id: int | None
    status: TransferStatus
    object_version: int
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None
    overdue: bool  # past expires_at by the database's clock, whatever the status says


class TransferView(TransferRow):
    """A transfer with what a person needs to recognise it: the object (by the title it was
    offered with) and both people. In a list, `visible` says whether the viewer may see the
    object as it is now; a single transfer is read by someone it concerns while it is theirs
    to act on."""

    title: str
    photo_id: int
    preview_key: str
    thumb_key: str
    from_name: str
    to_name: str | None
    visible: bool = True


COLUMNS = """
    t.id, t.object_id, t.from_user_id, t.kind, t.token_hash, t.to_user_id, t.status,
    t.object_version, t.expires_at, t.created_at, t.decided_at, t.expires_at <= now() AS overdue
"""
VIEW_FROM = f"""
SELECT {COLUMNS}, t.title, o.photo_id, p.preview_key, p.thumb_key,
       {OWNER_NAME.replace("u.", "fu.")} AS from_name,
       CASE WHEN tu.id IS NOT NULL THEN {OWNER_NAME.replace("u.", "tu.")} END AS to_name
       {{visible}}
FROM {{source}} t
JOIN art_objects o ON o.id = t.object_id
JOIN photos p ON p.id = o.photo_id
JOIN users fu ON fu.id = t.from_user_id
LEFT JOIN users tu ON tu.id = t.to_user_id
JOIN users ou ON ou.id = o.owner_id
"""
VIEW = VIEW_FROM.format(source="transfers", visible="")
# Lists add whether the viewer ($1) may see the object as it is now: it may have moved on to
# a collection that is not open to them.
LIST = VIEW_FROM.format(
    source="transfers", visible=f", {object_visible_to('o', 'ou', '$1')} AS visible"
)


def _row(record: asyncpg.Record | None) -> TransferRow | None:
    return None if record is None else TransferRow.model_validate(dict(record))


def _view(record: asyncpg.Record | None) -> TransferView | None:
    return None if record is None else TransferView.model_validate(dict(record))


INSERT = f"""
INSERT INTO transfers AS t (object_id, from_user_id, kind, token_hash, to_user_id,
                            object_version, expires_at, title)
VALUES ($1, $2, $3, $4, $5, $6, now() + $7::interval, $8)
RETURNING {COLUMNS}
"""


async def insert_transfer(
    conn: Connection,
    *,
    object_id: int,
    from_user_id: int,
    token_hash: bytes | None,
    to_user_id: int | None,
    object_version: int,
    ttl: timedelta,
    title: str,
) -> TransferRow:
    """Conflict("transfer_pending") when the object already has a pending transfer, and
    Conflict("transfer_to_person_pending") when one to the same person is still waiting."""
    kind = "qr" if token_hash is not None else "direct"
    try:
        record = await conn.fetchrow(
            INSERT, object_id, from_user_id, kind, token_hash, to_user_id, object_version, ttl,
            title,
        )
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == "transfers_one_pending_pair_idx":
            raise Conflict(
                "a transfer of yours to this person is still waiting for an answer",
                code="transfer_to_person_pending",
            ) from None
        raise Conflict(
            "this object already has a pending transfer; cancel it first", code="transfer_pending"
        ) from None
    row = _row(record)
    assert row is not None
    return row


async def view_by_id(conn: Connection, transfer_id: int) -> TransferView | None:
    return _view(await conn.fetchrow(f"{VIEW} WHERE t.id = $1", transfer_id))


async def view_by_token_hash(conn: Connection, token_hash: bytes) -> TransferView | None:
    return _view(await conn.fetchrow(f"{VIEW} WHERE t.token_hash = $1", token_hash))


async def lock_transfer(conn: Connection, transfer_id: int) -> TransferRow | None:
    """The row, locked until the caller's transaction ends (after its object: see gallery)."""
    return _row(
        await conn.fetchrow(
            f"SELECT {COLUMNS} FROM transfers t WHERE t.id = $1 FOR UPDATE", transfer_id
        )
    )


async def pending_for_object(conn: Connection, object_id: int) -> TransferRow | None:
    return _row(
        await conn.fetchrow(
            f"SELECT {COLUMNS} FROM transfers t WHERE t.object_id = $1 AND t.status = 'pending'",
            object_id,
        )
    )


async def mark_claimed(conn: Connection, transfer_id: int, claimer: int) -> None:
    await conn.execute(
        "UPDATE transfers SET status = 'claimed', to_user_id = $2, decided_at = now() "
        "WHERE id = $1 AND status = 'pending'",
        transfer_id,
        claimer,
    )


# One statement each: a concurrent claim holds the row lock, and this re-reads the status once
# it is released, so a transfer ends in exactly one final state.
CANCEL = """
UPDATE transfers t SET status = 'cancelled', decided_at = now()
WHERE t.id = $1 AND t.status = 'pending' AND t.from_user_id = $2
RETURNING t.id
"""
DECLINE = """
UPDATE transfers t SET status = 'declined', decided_at = now()
WHERE t.id = $1 AND t.status = 'pending' AND t.kind = 'direct' AND t.to_user_id = $2
RETURNING t.id
"""


async def cancel_pending(conn: Connection, transfer_id: int, owner: int) -> bool:
    """True when the owner's pending transfer is now cancelled."""
    return await conn.fetchval(CANCEL, transfer_id, owner) is not None


async def decline_pending(conn: Connection, transfer_id: int, receiver: int) -> bool:
    """True when the named receiver's pending direct transfer is now declined."""
    return await conn.fetchval(DECLINE, transfer_id, receiver) is not None


# The outer SELECT reads the UPDATE's own RETURNING rows (a CTE's snapshot would still show
# them pending).
EXPIRE = """
WITH expired AS (
    UPDATE transfers x SET status = 'expired', decided_at = now()
    WHERE x.status = 'pending' AND x.expires_at <= now()
    RETURNING x.*
)""" + VIEW_FROM.format(source="expired", visible="")


async def expire_overdue(conn: Connection) -> list[TransferView]:
    """Every overdue pending transfer is now expired; each is returned once, whichever replica
    ran it (the UPDATE's row locks make a concurrent run skip rows already expired)."""
    return [TransferView.model_validate(dict(r)) for r in await conn.fetch(EXPIRE)]


async def list_outgoing(conn: Connection, user_id: int, limit: int) -> list[TransferView]:
    rows = await conn.fetch(
        f"{LIST} WHERE t.from_user_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2",
        user_id,
        limit,
    )
    return [TransferView.model_validate(dict(r)) for r in rows]


async def list_incoming(conn: Connection, user_id: int, limit: int) -> list[TransferView]:
    rows = await conn.fetch(
        f"{LIST} WHERE t.to_user_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2",
        user_id,
        limit,
    )
    return [TransferView.model_validate(dict(r)) for r in rows]
