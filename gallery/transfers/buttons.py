"""Accept and Decline pressed in the chat: a direct transfer's, or a scanned QR's (whose
buttons carry the token's verifier, never the token)."""

from __future__ import annotations

from gallery.transfers.claims import accept_direct, claim
from gallery.transfers.closing import decline_transfer
from gallery.transfers.tokens import not_found, refuse_unless_pending, verifier_matches
from storage import transfers
from storage.db import Connection
from storage.transfers import TransferView


async def accept_from_button(
    conn: Connection, receiver: int, transfer_id: int, verifier: str | None
) -> TransferView:
    """An Accept button in the chat: a QR transfer's carries the verifier of its token."""
    view = await transfers.view_by_id(conn, transfer_id)
    if view is not None and view.kind == "qr":
        if verifier is None or not verifier_matches(view.token_hash, verifier):
            raise not_found()
        return await claim(conn, transfer_id, receiver)
    return await accept_direct(conn, receiver, transfer_id)


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
