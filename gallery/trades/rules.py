"""What makes a trade valid, and who may act on it: the checks every trade action shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from config.settings import RulesSettings
from storage import trades
from storage.db import Connection
from storage.errors import Conflict, DomainError, Forbidden, NotFound
from storage.trades import ProposedObject, TradeRow

MESSAGE_MAX = 1000
ITEMS_MAX = 50
Role = Literal["proposer", "recipient"]


@dataclass(frozen=True)
class TradeDraft:
    """What the proposer gives and takes, by object id."""

    recipient_id: int
    give: list[int] = field(default_factory=list)
    take: list[int] = field(default_factory=list)
    message: str = ""


def not_pending(trade: TradeRow) -> Conflict:
    reason = f" ({trade.status_reason})" if trade.status_reason else ""
    return Conflict(f"this trade is already {trade.status}{reason}", code=f"trade_{trade.status}")


def is_overdue(trade: TradeRow) -> bool:
    return trade.status == "pending" and trade.expires_at <= datetime.now(UTC)


def check_draft(proposer_id: int, draft: TradeDraft) -> None:
    if draft.recipient_id == proposer_id:
        raise DomainError("you cannot trade with yourself", code="self_trade")
    if not draft.give and not draft.take:
        raise DomainError("a trade gives or takes at least one object", code="empty_trade")
    every = [*draft.give, *draft.take]
    if len(set(every)) != len(every):
        raise DomainError("each object may appear once, on one side", code="duplicate_item")
    if len(every) > ITEMS_MAX:
        raise DomainError(f"a trade names at most {ITEMS_MAX} objects", code="too_many_items")
    if len(draft.message) > MESSAGE_MAX:
        raise DomainError(f"a message has at most {MESSAGE_MAX} characters", code="invalid_message")


def check_owners(
    proposer_id: int, draft: TradeDraft, found: list[ProposedObject]
) -> dict[int, ProposedObject]:
    """Every object exists for the proposer, is owned by the side it is on, and both people
    may see it: what the recipient is shown is what they can open."""
    by_id = {o.id: o for o in found if o.visible}
    for object_id in [*draft.give, *draft.take]:
        if object_id not in by_id:
            raise NotFound(f"art object {object_id} does not exist", code="object_not_found")
    for object_id in draft.give:
        given = by_id[object_id]
        if given.owner_id != proposer_id:
            raise Conflict(f"«{given.title}» is not yours to give", code="not_your_object")
        if not given.visible_to_recipient:
            raise Conflict(
                f"«{given.title}» is hidden from them by your privacy settings",
                code="hidden_from_recipient",
            )
    for object_id in draft.take:
        if by_id[object_id].owner_id != draft.recipient_id:
            title = by_id[object_id].title
            raise Conflict(f"«{title}» does not belong to that person", code="not_their_object")
    return by_id


async def check_limits(
    conn: Connection, rules: RulesSettings, proposer_id: int, recipient: int
) -> None:
    """Under the proposer's lock: one open trade with a person, and a cap on open trades."""
    pending = await trades.pending_trade_between(conn, proposer_id, recipient)
    if pending is not None:
        raise Conflict(
            f"you already have an open trade with this person (trade {pending}); "
            "wait for the answer or withdraw it",
            code="trade_to_person_pending",
        )
    if await trades.count_pending_trades(conn, proposer_id) >= rules.max_open_trades:
        raise Conflict(
            f"you have {rules.max_open_trades} open trades; wait for answers or cancel one",
            code="too_many_open_trades",
        )


def check_role(trade: TradeRow, user_id: int, role: Role) -> None:
    """Strangers learn nothing (404); the other party is told it is not theirs to do (403)."""
    if user_id not in (trade.proposer_id, trade.recipient_id):
        raise NotFound(f"trade {trade.id} does not exist")
    if getattr(trade, f"{role}_id") != user_id:
        raise Forbidden(f"only the {role} of this trade can do that", code=f"not_{role}")


def check_actionable(trade: TradeRow, version: int | None) -> None:
    if trade.status != "pending":
        raise not_pending(trade)
    if version is not None and version != trade.version:
        raise Conflict(
            f"the trade changed since you saw it (version {version}, now {trade.version})",
            code="stale_version",
        )
