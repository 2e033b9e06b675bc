"""Reading transfers: what a scanned code offers, the owner's own QR, and a person's boxes."""

from __future__ import annotations

from typing import Literal

from gallery.transfers.tokens import (
    hash_token,
    not_found,
    refuse_unless_pending,
    token_matches,
)
from storage import transfers
from storage.db import Connection
from storage.transfers import TransferView

Box = Literal["incoming", "outgoing"]
LIST_MAX = 100


async def view_or_not_found(conn: Connection, transfer_id: int) -> TransferView:
    view = await transfers.view_by_id(conn, transfer_id)
    if view is None:
        raise not_found()
    return view


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
