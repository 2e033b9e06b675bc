"""Offering an object: by a QR code, or to a named person.

A QR transfer's token is returned once, to the owner, by `create_transfer`; only its sha256 is
kept, so nobody (the owner included) can fetch it again from storage. One pending transfer per
object: creating another is refused with `transfer_pending` unless `replace` asks to cancel the
pending one in the same transaction (the bot's Transfer button does: a new QR supersedes the
last one shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from gallery.objects.edit import lock_own
from gallery.ownership.holds import check_not_held
from gallery.transfers import notices
from gallery.transfers.tokens import hash_token, new_token
from gallery.transfers.view import view_or_not_found
from storage import transfers, users
from storage.db import Connection
from storage.errors import Conflict, DomainError
from storage.transfers import TransferView


@dataclass(frozen=True)
class CreatedTransfer:
    transfer: TransferView
    token: str | None  # QR transfers only; never retrievable again


async def create_transfer(
    conn: Connection,
    owner: int,
    object_id: int,
    *,
    ttl: timedelta,
    hold_hours: int,
    to_user: int | None = None,
    replace: bool = False,
) -> CreatedTransfer:
    async with conn.transaction():
        current = await lock_own(conn, object_id, owner, "owner", "transfer", "not_owner")
        if current.hidden_at is not None:
            raise Conflict("an operator hid this object; it cannot change hands", code="hidden")
        check_not_held([(current.title, current.received_at)], hold_hours)
        if to_user is not None:
            await _check_receiver(conn, owner, to_user)
        if replace:
            await _cancel_pending_of(conn, owner, object_id)
        token = new_token() if to_user is None else None
        row = await transfers.insert_transfer(
            conn,
            object_id=object_id,
            from_user_id=owner,
            token_hash=hash_token(token) if token is not None else None,
            to_user_id=to_user,
            object_version=current.version,
            ttl=ttl,
            title=current.title,
        )
        view = await view_or_not_found(conn, row.id)
        if view.kind == "direct":
            await notices.offered(conn, view)
    return CreatedTransfer(view, token)


async def _check_receiver(conn: Connection, owner: int, to_user: int) -> None:
    if to_user == owner:
        raise DomainError("you cannot transfer an object to yourself", code="own_transfer")
    receiver = await users.get_user(conn, to_user)
    if receiver is None or receiver.banned_at is not None:  # a banned person is nobody here
        raise DomainError("no such person", code="unknown_receiver")


async def _cancel_pending_of(conn: Connection, owner: int, object_id: int) -> None:
    pending = await transfers.pending_for_object(conn, object_id)
    if pending is not None and await transfers.cancel_pending(conn, pending.id, owner):
        await notices.cancelled(conn, await view_or_not_found(conn, pending.id))
