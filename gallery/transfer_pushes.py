"""The chat pushes of transfers, queued in the caller's transaction (gallery.pushes).

Each carries a dedupe key of the transfer and what happened to it, so a retried transaction
tells a person about one change once.
"""

from __future__ import annotations

from collections.abc import Callable

from bot import keyboards
from bot.payloads import encode
from bot.texts import label
from gallery.pushes import Buttons, Photo, push
from storage.db import Connection
from storage.models import Language
from storage.transfers import TransferView

ACCEPT, DECLINE, SHOW_QR, CANCEL = "ty", "tn", "tq", "tc"


def answer_buttons(transfer_id: int, verifier: str | None = None) -> Callable[[Language], Buttons]:
    """Accept / Decline; a QR transfer's buttons carry the verifier (never the token)."""
    extra = (verifier,) if verifier is not None else ()

    def rows(language: Language) -> Buttons:
        return [[
            keyboards.callback(label("transfer.button.accept", language),
                               encode(ACCEPT, transfer_id, *extra)),
            keyboards.callback(label("transfer.button.decline", language),
                               encode(DECLINE, transfer_id, *extra)),
        ]]  # fmt: skip

    return rows


def cancel_buttons(transfer_id: int) -> Callable[[Language], Buttons]:
    def rows(language: Language) -> Buttons:
        return [[keyboards.callback(label("transfer.button.cancel", language),
                                    encode(CANCEL, transfer_id))]]  # fmt: skip

    return rows


def _key(transfer: TransferView, what: str) -> str:
    return f"transfer:{transfer.id}:{what}"


async def offered(conn: Connection, transfer: TransferView) -> None:
    """The named person sees the object and who offers it, with Accept / Decline."""
    assert transfer.to_user_id is not None
    await push(
        conn,
        transfer.to_user_id,
        "transfer.offer_direct",
        values={"title": transfer.title, "name": transfer.from_name},
        buttons=answer_buttons(transfer.id),
        photo=Photo(transfer.photo_id, transfer.preview_key),
        dedupe_key=_key(transfer, "offered"),
        sender=transfer.from_user_id,
        burst="made",
    )


async def claimed(conn: Connection, transfer: TransferView) -> None:
    await push(
        conn,
        transfer.from_user_id,
        "transfer.claimed",
        values={"title": transfer.title, "name": transfer.to_name or "—"},
        dedupe_key=_key(transfer, "claimed"),
        sender=transfer.to_user_id,
    )


async def declined(conn: Connection, transfer: TransferView) -> None:
    await push(
        conn,
        transfer.from_user_id,
        "transfer.declined",
        values={"title": transfer.title, "name": transfer.to_name or "—"},
        dedupe_key=_key(transfer, "declined"),
        sender=transfer.to_user_id,
    )


async def cancelled(conn: Connection, transfer: TransferView) -> None:
    """Only a named receiver has anything to forget; a QR was never anyone's yet."""
    if transfer.kind != "direct" or transfer.to_user_id is None:
        return
    await push(
        conn,
        transfer.to_user_id,
        "transfer.cancelled_for_receiver",
        values={"title": transfer.title, "name": transfer.from_name},
        dedupe_key=_key(transfer, "cancelled"),
        sender=transfer.from_user_id,
        burst="withdrawn",
    )


async def expired(conn: Connection, transfer: TransferView) -> None:
    await push(
        conn,
        transfer.from_user_id,
        "transfer.expired",
        values={"title": transfer.title},
        dedupe_key=_key(transfer, "expired"),
    )
