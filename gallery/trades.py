"""Trade offers: make one, counter it, decline or cancel it (design.md §4).

Accepting and expiring move or close offers under the ownership locks: gallery/trades_accept.py.
Every action runs in its own transaction (a savepoint inside a bot update's transaction), again
if PostgreSQL picks it as a deadlock victim, and queues its pushes in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from config.settings import RulesSettings
from gallery import trade_pushes
from gallery.ownership import retry_on_deadlock
from storage import trades
from storage.db import Connection
from storage.errors import Conflict, DomainError, Forbidden, NotFound
from storage.objects import hold_visibility
from storage.trades import OfferedObject, Side, TradeItem, TradeRow, TradeStatus
from storage.users import get_user

MESSAGE_MAX = 1000
ITEMS_MAX = 50
Role = Literal["proposer", "recipient"]


@dataclass(frozen=True)
class OfferDraft:
    """What the proposer gives and takes, by object id."""

    recipient_id: int
    give: list[int] = field(default_factory=list)
    take: list[int] = field(default_factory=list)
    message: str = ""


def not_pending(trade: TradeRow) -> Conflict:
    reason = f" ({trade.status_reason})" if trade.status_reason else ""
    return Conflict(f"this offer is already {trade.status}{reason}", code=f"offer_{trade.status}")


def is_overdue(trade: TradeRow) -> bool:
    return trade.status == "pending" and trade.expires_at <= datetime.now(UTC)


def check_draft(proposer_id: int, draft: OfferDraft) -> None:
    if draft.recipient_id == proposer_id:
        raise DomainError("you cannot make an offer to yourself", code="self_offer")
    if not draft.give and not draft.take:
        raise DomainError("an offer gives or takes at least one object", code="empty_offer")
    every = [*draft.give, *draft.take]
    if len(set(every)) != len(every):
        raise DomainError("each object may appear once, on one side", code="duplicate_item")
    if len(every) > ITEMS_MAX:
        raise DomainError(f"an offer names at most {ITEMS_MAX} objects", code="too_many_items")
    if len(draft.message) > MESSAGE_MAX:
        raise DomainError(f"a message has at most {MESSAGE_MAX} characters", code="invalid_message")


def check_owners(
    proposer_id: int, draft: OfferDraft, found: list[OfferedObject]
) -> dict[int, OfferedObject]:
    """Every object exists for the proposer, is owned by the side it is on, and both people
    may see it: what the recipient is shown is what they can open."""
    by_id = {o.id: o for o in found if o.visible}
    for object_id in [*draft.give, *draft.take]:
        if object_id not in by_id:
            raise NotFound(f"art object {object_id} does not exist", code="object_not_found")
    for object_id in draft.give:
        offered = by_id[object_id]
        if offered.owner_id != proposer_id:
            raise Conflict(f"«{offered.title}» is not yours to give", code="not_your_object")
        if not offered.visible_to_recipient:
            raise Conflict(
                f"«{offered.title}» is hidden from them by your privacy settings",
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
    """Under the proposer's lock: one open offer to a person, and a cap on open offers."""
    pending = await trades.open_offer_between(conn, proposer_id, recipient)
    if pending is not None:
        raise Conflict(
            f"you already have an open offer to this person (offer {pending}); "
            "wait for the answer or withdraw it",
            code="offer_pending",
        )
    if await trades.count_open_offers(conn, proposer_id) >= rules.max_open_offers:
        raise Conflict(
            f"you have {rules.max_open_offers} open offers; wait for answers or cancel one",
            code="too_many_open_offers",
        )


async def insert_offer(
    conn: Connection,
    rules: RulesSettings,
    proposer_id: int,
    draft: OfferDraft,
    *,
    parent_id: int | None = None,
) -> tuple[TradeRow, list[TradeItem]]:
    """Check and write an offer. The proposer's row lock makes the caps hold under races; the
    visibility locks keep both collections' privacy as checked until the offer is committed."""
    check_draft(proposer_id, draft)
    if await get_user(conn, draft.recipient_id) is None:
        raise NotFound(f"user {draft.recipient_id} is unknown", code="recipient_not_found")
    await trades.lock_person(conn, proposer_id)
    await hold_visibility(conn, [proposer_id, draft.recipient_id])
    found = await trades.share_lock_objects(
        conn, [*draft.give, *draft.take], proposer_id, draft.recipient_id
    )
    by_id = check_owners(proposer_id, draft, found)
    await check_limits(conn, rules, proposer_id, draft.recipient_id)
    expires_at = datetime.now(UTC) + timedelta(hours=rules.offer_ttl_hours)
    trade = await trades.insert_trade(
        conn, proposer_id=proposer_id, recipient_id=draft.recipient_id,
        message=draft.message, expires_at=expires_at, parent_id=parent_id,
    )  # fmt: skip
    sides: list[tuple[int, Side]] = [(i, "give") for i in draft.give]
    sides += [(i, "take") for i in draft.take]
    items = [
        TradeItem(trade_id=trade.id, object_id=object_id, side=side,
                  owner_id=by_id[object_id].owner_id, title=by_id[object_id].title)
        for object_id, side in sides
    ]  # fmt: skip
    await trades.insert_items(conn, items)
    return trade, items


async def create_offer(
    conn: Connection,
    rules: RulesSettings,
    proposer_id: int,
    draft: OfferDraft,
) -> TradeRow:
    """Offer `draft` to its recipient, who is pushed the offer with Accept / Decline / Open."""

    async def attempt() -> TradeRow:
        async with conn.transaction():
            trade, items = await insert_offer(conn, rules, proposer_id, draft)
            await trade_pushes.offer_made(conn, trade, items)
            return trade

    return await retry_on_deadlock(attempt)


def check_role(trade: TradeRow, user_id: int, role: Role) -> None:
    """Strangers learn nothing (404); the other party is told it is not theirs to do (403)."""
    if user_id not in (trade.proposer_id, trade.recipient_id):
        raise NotFound(f"trade offer {trade.id} does not exist")
    if getattr(trade, f"{role}_id") != user_id:
        raise Forbidden(f"only the {role} of this offer can do that", code=f"not_{role}")


def check_actionable(trade: TradeRow, version: int | None) -> None:
    if trade.status != "pending":
        raise not_pending(trade)
    if version is not None and version != trade.version:
        raise Conflict(
            f"the offer changed since you saw it (version {version}, now {trade.version})",
            code="stale_version",
        )


async def close_overdue(conn: Connection, trade: TradeRow) -> TradeRow:
    """An offer found past its expiry is expired on the spot, as the scheduler would."""
    expired = await trades.decide(conn, trade.id, "expired", "the offer expired")
    await trade_pushes.offer_decided(conn, expired, [])
    return expired


async def _close(
    conn: Connection, trade_id: int, user_id: int, version: int | None, role: Role
) -> TradeRow:
    trade = await trades.get_trade(conn, trade_id, lock=True)
    check_role(trade, user_id, role)
    check_actionable(trade, version)
    if is_overdue(trade):
        return await close_overdue(conn, trade)
    status: TradeStatus = "declined" if role == "recipient" else "cancelled"
    closed = await trades.decide(conn, trade_id, status)
    await trade_pushes.offer_decided(conn, closed, [])
    return closed


async def close_offer(
    conn: Connection, trade_id: int, user_id: int, role: Role, version: int | None = None
) -> TradeRow:
    """The recipient declines, or the proposer cancels, a pending offer."""

    async def attempt() -> TradeRow:
        async with conn.transaction():
            return await _close(conn, trade_id, user_id, version, role)

    closed = await retry_on_deadlock(attempt)
    if closed.status == "expired":
        raise not_pending(closed)
    return closed


async def decline_offer(
    conn: Connection, trade_id: int, user_id: int, version: int | None = None
) -> TradeRow:
    return await close_offer(conn, trade_id, user_id, "recipient", version)


async def cancel_offer(
    conn: Connection, trade_id: int, user_id: int, version: int | None = None
) -> TradeRow:
    return await close_offer(conn, trade_id, user_id, "proposer", version)


async def _counter(
    conn: Connection,
    rules: RulesSettings,
    trade_id: int,
    user_id: int,
    draft: OfferDraft,
) -> TradeRow:
    # the new offer locks the objects it names before the old offer's row, as accepts do
    trade, items = await insert_offer(conn, rules, user_id, draft, parent_id=trade_id)
    old = await trades.get_trade(conn, trade_id, lock=True)
    check_role(old, user_id, "recipient")
    check_actionable(old, None)
    if is_overdue(old):
        raise not_pending(old.model_copy(update={"status": "expired"}))
    await trades.decide(conn, trade_id, "countered", f"answered by offer {trade.id}")
    await trade_pushes.offer_made(conn, trade, items)
    return trade


async def counter_offer(
    conn: Connection,
    rules: RulesSettings,
    trade_id: int,
    user_id: int,
    *,
    give: list[int],
    take: list[int],
    message: str = "",
) -> TradeRow:
    """The recipient answers with an offer of their own; the old one becomes `countered`."""
    peek = await trades.get_trade(conn, trade_id)
    check_role(peek, user_id, "recipient")
    check_actionable(peek, None)
    draft = OfferDraft(peek.proposer_id, give, take, message)

    async def attempt() -> TradeRow:
        async with conn.transaction():
            return await _counter(conn, rules, trade_id, user_id, draft)

    return await retry_on_deadlock(attempt)
