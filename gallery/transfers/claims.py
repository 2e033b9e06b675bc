"""Accepting a transfer: the one step that moves the object, and only on explicit confirmation.

Lock order (the same as every mover's, gallery.ownership): the object first, then the transfer
row, then re-check that the transfer is still pending and unexpired. A claim racing another
claim, a cancel, a decline or the expiry job waits on those locks and then finds the final
state, so a transfer ends exactly one way.
"""

from __future__ import annotations

from gallery.ownership.moves import Move, lock_and_check, move_objects
from gallery.ownership.voiding import tell_voided
from gallery.retry import retry_on_deadlock
from gallery.transfers import notices
from gallery.transfers.tokens import hash_token, not_found, refuse_unless_claimable
from storage import transfers
from storage.db import Connection
from storage.errors import Conflict, DomainError
from storage.ownership import LockedObject
from storage.transfers import TransferView


async def claim_by_token(conn: Connection, claimer: int, token: str) -> TransferView:
    """The person who scanned a QR code confirms; the object becomes theirs."""
    token_hash = hash_token(token)
    view = None if token_hash is None else await transfers.view_by_token_hash(conn, token_hash)
    if view is None or view.kind != "qr":
        raise not_found()
    return await claim(conn, view.id, claimer)


async def accept_direct(conn: Connection, receiver: int, transfer_id: int) -> TransferView:
    """The person a direct transfer names accepts it; anyone else learns nothing."""
    view = await transfers.view_by_id(conn, transfer_id)
    if view is None or view.kind != "direct" or view.to_user_id != receiver:
        raise not_found()
    return await claim(conn, transfer_id, receiver)


async def claim(conn: Connection, transfer_id: int, claimer: int) -> TransferView:
    async def attempt() -> TransferView:
        async with conn.transaction():
            return await _claim_in_transaction(conn, transfer_id, claimer)

    return await retry_on_deadlock(attempt)


async def _claim_in_transaction(conn: Connection, transfer_id: int, claimer: int) -> TransferView:
    seen = await transfers.view_by_id(conn, transfer_id)
    refuse_unless_claimable(seen, claimer)
    assert seen is not None
    move = Move(seen.object_id, seen.from_user_id, claimer, seen.title)
    locked = await _lock_object(conn, move, transfer_id, claimer)
    transfer = refuse_unless_claimable(await transfers.lock_transfer(conn, transfer_id), claimer)
    if locked.version != transfer.object_version:  # moved away and back since: not as it was shown
        raise Conflict("the object changed hands since", code="ownership_changed")
    moved = await move_objects(
        conn, [move], reason="transfer", reference_id=transfer_id, locked=[locked]
    )
    await transfers.mark_claimed(conn, transfer_id, claimer)
    view = await transfers.view_by_id(conn, transfer_id)
    assert view is not None
    await notices.claimed(conn, view)
    await tell_voided(conn, moved.invalidated, claimer)
    return view


async def _lock_object(
    conn: Connection, move: Move, transfer_id: int, claimer: int
) -> LockedObject:
    """The object, locked; when it has moved, the transfer's own state says why (a racing
    claim won, or a trade voided it) better than "ownership changed" would."""
    try:
        [locked] = await lock_and_check(conn, [move])
    except DomainError:
        refuse_unless_claimable(await transfers.view_by_id(conn, transfer_id), claimer)
        raise
    return locked
