"""The chat pushes of trade offers, queued in the caller's transaction (gallery.pushes).

Every push carries a dedupe key of the offer and its version, so whatever retries a
transaction, a person hears about one change of one offer once.
"""

from __future__ import annotations

from bot import keyboards
from bot.payloads import encode
from bot.texts import label
from bot.types import Button
from gallery.pushes import AppIdentity, Buttons, ButtonsFor, push
from storage import trades
from storage.db import Connection
from storage.models import Language
from storage.trades import TradeItem, TradeRow

NOTE_MAX = 300


def titles(items: list[TradeItem], side: str) -> str:
    """The titles of one side as the offer was made with them."""
    named = [f"«{i.title}»" for i in items if i.side == side]
    return ", ".join(named) or "—"


def offer_buttons(trade: TradeRow, app: AppIdentity | None) -> ButtonsFor:
    def rows(language: Language) -> Buttons:
        accept = encode("ta", trade.id, trade.version)
        decline = encode("td", trade.id, trade.version)
        answer: list[Button] = [
            keyboards.callback(label("trade.button.accept", language), accept),
            keyboards.callback(label("trade.button.decline", language), decline),
        ]
        if app is None:
            return [answer]
        open_label = label("trade.button.open", language)
        return [answer, [app.open_app_button(open_label, f"tr_{trade.id}")]]

    return rows


def _key(trade: TradeRow, user_id: int) -> str:
    return f"trade:{trade.id}:v{trade.version}:{user_id}"


async def offer_made(
    conn: Connection,
    trade: TradeRow,
    items: list[TradeItem],
    app: AppIdentity | None,
) -> None:
    """The recipient hears of a new offer (or a counter-offer) with buttons to answer it."""
    names = await trades.names(conn, [trade.proposer_id])
    note = f"\n\n«{trade.message[:NOTE_MAX]}»" if trade.message else ""
    await push(
        conn,
        trade.recipient_id,
        "trade.counter" if trade.parent_id else "trade.offer",
        values={
            "name": names.get(trade.proposer_id, "—"),
            "give": titles(items, "take"),
            "take": titles(items, "give"),
            "note": note,
        },
        buttons=offer_buttons(trade, app),
        dedupe_key=_key(trade, trade.recipient_id),
        sender=trade.proposer_id,
        burst="made",
    )


async def offer_decided(
    conn: Connection,
    trade: TradeRow,
    items: list[TradeItem],
    names: dict[int, str] | None = None,
) -> None:
    """The other party hears that an offer was accepted, declined, cancelled or expired."""
    if trade.status == "expired":
        parties = [(trade.proposer_id, trade.recipient_id), (trade.recipient_id, trade.proposer_id)]
    elif trade.status == "cancelled":
        parties = [(trade.recipient_id, trade.proposer_id)]
    else:
        parties = [(trade.proposer_id, trade.recipient_id)]
    if names is None:
        names = await trades.names(conn, [trade.proposer_id, trade.recipient_id])
    values = {"give": titles(items, "give"), "take": titles(items, "take")}
    expired = trade.status == "expired"  # nobody's doing: no sender to count it against
    for to_user, other in parties:
        await push(
            conn,
            to_user,
            f"trade.{trade.status}",
            values={**values, "name": names.get(other, "—")},
            dedupe_key=_key(trade, to_user),
            sender=None if expired else other,
            burst="withdrawn" if trade.status == "cancelled" else None,
        )
