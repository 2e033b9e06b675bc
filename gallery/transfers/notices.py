"""What a transfer tells its people, queued in the caller's transaction (gallery.notices).

Each carries a dedupe key of the transfer and what happened to it, so a retried transaction
tells a person about one change once.
"""

from __future__ import annotations

from typing import Literal

from gallery.notices import Burst, notify
from gallery.notices.kinds import PhotoRef, TransferDecided, TransferOffered
from storage.db import Connection
from storage.transfers import TransferView


def _key(transfer: TransferView, what: str) -> str:
    return f"transfer:{transfer.id}:{what}"


async def offered(conn: Connection, transfer: TransferView) -> None:
    """The named person sees the object and who offers it, with Accept / Decline."""
    assert transfer.to_user_id is not None
    notice = TransferOffered(
        transfer_id=transfer.id, title=transfer.title, from_name=transfer.from_name,
        photo=PhotoRef(photo_id=transfer.photo_id, key=transfer.preview_key),
    )  # fmt: skip
    await notify(
        conn, transfer.to_user_id, notice, dedupe_key=_key(transfer, "offered"),
        sender=transfer.from_user_id, burst="made",
    )  # fmt: skip


async def _decided(
    conn: Connection,
    transfer: TransferView,
    outcome: Literal["claimed", "declined", "cancelled", "expired"],
    *,
    to_user: int,
    sender: int | None,
    burst: Burst | None = None,
) -> None:
    other = transfer.from_name if outcome == "cancelled" else transfer.to_name or "—"
    notice = TransferDecided(outcome=outcome, title=transfer.title, other_name=other)
    await notify(
        conn, to_user, notice, dedupe_key=_key(transfer, outcome), sender=sender, burst=burst
    )


async def claimed(conn: Connection, transfer: TransferView) -> None:
    await _decided(conn, transfer, "claimed", to_user=transfer.from_user_id,
                   sender=transfer.to_user_id)  # fmt: skip


async def declined(conn: Connection, transfer: TransferView) -> None:
    await _decided(conn, transfer, "declined", to_user=transfer.from_user_id,
                   sender=transfer.to_user_id)  # fmt: skip


async def cancelled(conn: Connection, transfer: TransferView) -> None:
    """Only a named receiver has anything to forget; a QR was never anyone's yet."""
    if transfer.kind != "direct" or transfer.to_user_id is None:
        return
    await _decided(conn, transfer, "cancelled", to_user=transfer.to_user_id,
                   sender=transfer.from_user_id, burst="withdrawn")  # fmt: skip


async def expired(conn: Connection, transfer: TransferView) -> None:
    await _decided(conn, transfer, "expired", to_user=transfer.from_user_id, sender=None)
