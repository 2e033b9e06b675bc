"""Transfers: an owner hands one object over, by a QR code or to a named person.

A QR transfer's token is returned once, to the owner, by `create_transfer`; only its sha256 is
kept, so nobody (the owner included) can fetch it again from storage. Accepting lives in
gallery.transfer_claims; everything else that changes a transfer is here. One pending transfer
per object: creating another is refused with `transfer_pending` unless `replace` asks to cancel
the pending one in the same transaction (the bot's Transfer button does: a new QR supersedes
the last one shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from gallery import transfer_pushes
from gallery.objects import lock_own
from gallery.transfer_tokens import (
    hash_token,
    new_token,
    not_found,
    refuse_unless_pending,
    token_matches,
    verifier_matches,
)
from storage import transfers, users
from storage.db import Connection
from storage.errors import DomainError
from storage.transfers import TransferView

Box = Literal["incoming", "outgoing"]
LIST_MAX = 100


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
    to_user: int | None = None,
    replace: bool = False,
) -> CreatedTransfer:
    async with conn.transaction():
        current = await lock_own(conn, object_id, owner, "owner", "transfer", "not_owner")
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
        view = await _view(conn, row.id)
        if view.kind == "direct":
            await transfer_pushes.offered(conn, view)
    return CreatedTransfer(view, token)


async def _check_receiver(conn: Connection, owner: int, to_user: int) -> None:
    if to_user == owner:
        raise DomainError("you cannot transfer an object to yourself", code="own_transfer")
    if await users.get_user(conn, to_user) is None:
        raise DomainError("no such person", code="unknown_receiver")


async def _cancel_pending_of(conn: Connection, owner: int, object_id: int) -> None:
    pending = await transfers.pending_for_object(conn, object_id)
    if pending is not None and await transfers.cancel_pending(conn, pending.id, owner):
        await transfer_pushes.cancelled(conn, await _view(conn, pending.id))


async def cancel_transfer(conn: Connection, owner: int, transfer_id: int) -> TransferView:
    """The owner takes back a pending transfer; its token stops working at once."""
    async with conn.transaction():
        view = await transfers.view_by_id(conn, transfer_id)
        if view is None or view.from_user_id != owner:
            raise not_found()
        if not await transfers.cancel_pending(conn, transfer_id, owner):
            refuse_unless_pending(await transfers.view_by_id(conn, transfer_id))
        view = await _view(conn, transfer_id)
        await transfer_pushes.cancelled(conn, view)
    return view


async def decline_transfer(conn: Connection, receiver: int, transfer_id: int) -> TransferView:
    """The named person says no to a direct transfer; the owner hears it."""
    async with conn.transaction():
        view = await transfers.view_by_id(conn, transfer_id)
        if view is None or view.kind != "direct" or view.to_user_id != receiver:
            raise not_found()
        if not await transfers.decline_pending(conn, transfer_id, receiver):
            refuse_unless_pending(await transfers.view_by_id(conn, transfer_id))
        view = await _view(conn, transfer_id)
        await transfer_pushes.declined(conn, view)
    return view


async def expire_transfers(conn: Connection) -> int:
    """Mark every overdue pending transfer expired and tell its owner; how many. One UPDATE
    claims the rows, so replicas running this together expire (and push) each one once."""
    async with conn.transaction():
        expired = await transfers.expire_overdue(conn)
        for view in expired:
            await transfer_pushes.expired(conn, view)
    return len(expired)


async def preview_by_token(conn: Connection, token: str) -> TransferView:
    """What a scanned code offers; reading it changes nothing."""
    token_hash = hash_token(token)
    view = None if token_hash is None else await transfers.view_by_token_hash(conn, token_hash)
    refuse_unless_pending(view)
    assert view is not None
    return view


async def owner_qr_transfer(
    conn: Connection, owner: int, transfer_id: int, token: str
) -> TransferView:
    """The owner's pending QR transfer, when `token` is its token (the owner got it once)."""
    view = await transfers.view_by_id(conn, transfer_id)
    if view is None or view.from_user_id != owner or not token_matches(view.token_hash, token):
        raise not_found()
    refuse_unless_pending(view)
    return view


async def list_transfers(
    conn: Connection, user_id: int, box: Box, limit: int
) -> list[TransferView]:
    """Outgoing: what I offered. Incoming: what was offered to me by name, or what I claimed."""
    limit = min(max(limit, 1), LIST_MAX)
    if box == "outgoing":
        return await transfers.list_outgoing(conn, user_id, limit)
    return await transfers.list_incoming(conn, user_id, limit)


async def _view(conn: Connection, transfer_id: int) -> TransferView:
    view = await transfers.view_by_id(conn, transfer_id)
    if view is None:
        raise not_found()
    return view


async def decline_from_button(
    conn: Connection, receiver: int, transfer_id: int, verifier: str | None
) -> TransferView:
    """Decline in the chat. A direct transfer is declined for good; a QR transfer's Decline
    changes nothing (whoever scanned may not be the one the owner meant: the QR stays valid
    for them, and the owner can cancel it)."""
    view = await transfers.view_by_id(conn, transfer_id)
    if view is None or view.kind == "direct":
        return await decline_transfer(conn, receiver, transfer_id)
    if verifier is None or not verifier_matches(view.token_hash, verifier):
        raise not_found()
    refuse_unless_pending(view)
    return view
