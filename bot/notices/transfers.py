"""Transfer notices in the chat: a direct transfer with its image and Accept / Decline, and
what became of a transfer. The button codes are shared with bot/handlers/transfers.py."""

from __future__ import annotations

from bot import keyboards
from bot.notices.rendered import Buttons, Rendered
from bot.payloads import encode
from bot.texts import label, t
from gallery.notices.kinds import TransferDecided, TransferOffered
from storage.models import Language

ACCEPT, DECLINE, SHOW_QR, CANCEL = "ty", "tn", "tq", "tc"
DECIDED_TEXT = {
    "claimed": "transfer.claimed",
    "declined": "transfer.declined",
    "cancelled": "transfer.cancelled_for_receiver",
    "expired": "transfer.expired",
}


def answer_buttons(transfer_id: int, language: Language, verifier: str | None = None) -> Buttons:
    """Accept / Decline; a QR transfer's buttons carry the verifier (never the token)."""
    extra = (verifier,) if verifier is not None else ()
    return [[
        keyboards.callback(label("transfer.button.accept", language),
                           encode(ACCEPT, transfer_id, *extra)),
        keyboards.callback(label("transfer.button.decline", language),
                           encode(DECLINE, transfer_id, *extra)),
    ]]  # fmt: skip


def cancel_buttons(transfer_id: int, language: Language) -> Buttons:
    return [[keyboards.callback(label("transfer.button.cancel", language),
                                encode(CANCEL, transfer_id))]]  # fmt: skip


def offered(notice: TransferOffered, language: Language) -> Rendered:
    text = t("transfer.direct", language, title=notice.title, name=notice.from_name)
    return Rendered(text, answer_buttons(notice.transfer_id, language), notice.photo)


def decided(notice: TransferDecided, language: Language) -> Rendered:
    values = {"title": notice.title}
    if notice.outcome != "expired":
        values["name"] = notice.other_name or "—"
    return Rendered(t(DECIDED_TEXT[notice.outcome], language, **values))
