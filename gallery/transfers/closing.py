"""Ending a pending transfer: the owner cancels, the named person declines, or it expires."""

from __future__ import annotations

from gallery.transfers import notices
from gallery.transfers.tokens import not_found, refuse_unless_pending
from gallery.transfers.view import view_or_not_found
from storage import transfers
from storage.db import Connection
from storage.transfers import TransferView


async def cancel_transfer(conn: Connection, owner: int, transfer_id: int) -> TransferView:
    """The owner takes back a pending transfer; its token stops working at once."""
    async with conn.transaction():
        view = await transfers.view_by_id(conn, transfer_id)
        if view is None or view.from_user_id != owner:
            raise not_found()
        if not await transfers.cancel_pending(conn, transfer_id, owner):
            refuse_unless_pending(await transfers.view_by_id(conn, transfer_id))
        view = await view_or_not_found(conn, transfer_id)
        await notices.cancelled(conn, view)
    return view


async def decline_transfer(conn: Connection, receiver: int, transfer_id: int) -> TransferView:
    """The named person says no to a direct transfer; the owner hears it."""
    async with conn.transaction():
        view = await transfers.view_by_id(conn, transfer_id)
        if view is None or view.kind != "direct" or view.to_user_id != receiver:
            raise not_found()
        if not await transfers.decline_pending(conn, transfer_id, receiver):
            refuse_unless_pending(await transfers.view_by_id(conn, transfer_id))
        view = await view_or_not_found(conn, transfer_id)
        await notices.declined(conn, view)
    return view


async def expire_transfers(conn: Connection) -> int:
    """Mark every overdue pending transfer expired and tell its owner; how many. One UPDATE
    claims the rows, so replicas running this together expire (and push) each one once."""
    async with conn.transaction():
        expired = await transfers.expire_overdue(conn)
        for view in expired:
            await notices.expired(conn, view)
    return len(expired)
