"""Trade notices in the chat: a proposal with Accept / Decline / Open, outcomes, voids."""

from __future__ import annotations

from bot import keyboards
from bot.notices.rendered import Buttons, Rendered, quoted
from bot.payloads import encode
from bot.services import BotIdentity
from bot.texts import label, t
from gallery.notices.kinds import TradeDecided, TradeProposed, Voided
from storage.models import Language

ACCEPT, DECLINE = "ta", "td"


def answer_buttons(trade_id: int, version: int, language: Language, identity: BotIdentity
                   ) -> Buttons:  # fmt: skip
    """Accept and Decline carry the version shown, so a press on a changed trade is refused."""
    return [
        [keyboards.callback(label("trade.button.accept", language),
                            encode(ACCEPT, trade_id, version)),
         keyboards.callback(label("trade.button.decline", language),
                            encode(DECLINE, trade_id, version))],
        [identity.open_app_button(label("trade.button.open", language), f"tr_{trade_id}")],
    ]  # fmt: skip


def proposed(notice: TradeProposed, language: Language, identity: BotIdentity) -> Rendered:
    note = f"\n\n«{notice.message}»" if notice.message else ""
    text = t(
        "trade.counter" if notice.counter else "trade.proposed", language,
        name=notice.proposer_name, give=quoted(notice.you_give), take=quoted(notice.you_get),
        note=note,
    )  # fmt: skip
    buttons = answer_buttons(notice.trade_id, notice.version, language, identity)
    return Rendered(text, buttons)


def decided(notice: TradeDecided, language: Language) -> Rendered:
    text = t(
        f"trade.{notice.outcome}", language, name=notice.other_name,
        give=quoted(notice.give), take=quoted(notice.take),
    )  # fmt: skip
    return Rendered(text)


def voided(notice: Voided, language: Language) -> Rendered:
    key = f"{notice.what}.void.{notice.reason}"
    return Rendered(t(key, language, name=notice.other_name, title=notice.title or "—"))
