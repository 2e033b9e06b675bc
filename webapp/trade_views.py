"""What the trade API reads and answers: body and query models, response models, renderers."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gallery.trades import rules
from gallery.trades.view import DEFAULT_PAGE, MAX_PAGE
from storage.trade_views import Box, ItemDetail, TradeView
from storage.trades import TradeStatus
from webapp.inputs import BodyIn, Id, QueryIn, Version
from webapp.media_urls import MediaSigner
from webapp.object_views import Out, Person


class Sides(BodyIn):
    give: list[Id] = Field(
        default_factory=list, max_length=rules.ITEMS_MAX, description="my objects I give"
    )
    take: list[Id] = Field(
        default_factory=list, max_length=rules.ITEMS_MAX, description="their objects I take"
    )
    message: str = Field("", max_length=rules.MESSAGE_MAX)


class TradeIn(Sides):
    recipient_id: Id


class AcceptIn(BodyIn):
    version: Version = Field(description="the version of the trade as you saw it")


class BoxQuery(QueryIn):
    box: Box = "incoming"
    status: TradeStatus | None = None
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    cursor: str | None = Field(
        None, pattern="^[0-9]{1,18}$", description="next_cursor of the last page"
    )


class Thumb(Out):
    thumb: str


class TradeItemOut(Out):
    id: int | None = Field(description="the object; null once it was deleted")
    title: str = Field(description="the title the trade was proposed with")
    visible: bool = Field(
        description="false when the object is now hidden from you or deleted: then only the "
        "line as proposed is shown, without owner, placeholder or image"
    )
    owner: Person | None = Field(description="who owns it now")
    owner_when_proposed: int = Field(description="whose it was when the trade was proposed")
    placeholder: str | None
    media: Thumb | None


class TradeOut(Out):
    id: int
    status: TradeStatus
    status_reason: str | None
    version: int = Field(description="send it back to accept")
    message: str
    proposer: Person
    recipient: Person
    parent_id: int | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    give: list[TradeItemOut] = Field(description="the proposer's objects")
    take: list[TradeItemOut] = Field(description="the recipient's objects")


class TradePageOut(Out):
    items: list[TradeOut]
    next_cursor: str | None


def item_out(item: ItemDetail, signer: MediaSigner, now: float) -> TradeItemOut:
    """A line; only what the viewer may see now is named or signed."""
    owner = media = None
    if item.visible and item.current_owner_id is not None and item.photo_id is not None:
        owner = Person(id=item.current_owner_id, name=item.current_owner_name or "—")
        media = Thumb(thumb=signer.url_for_key(item.photo_id, item.thumb_key or "", now))
    return TradeItemOut(
        id=item.object_id, title=item.title, visible=media is not None, owner=owner,
        owner_when_proposed=item.owner_id, placeholder=item.placeholder if media else None,
        media=media,
    )  # fmt: skip


def trade_out(view: TradeView, signer: MediaSigner, now: float) -> TradeOut:
    t, names = view.trade, view.names
    give = [item_out(i, signer, now) for i in view.items if i.side == "give"]
    take = [item_out(i, signer, now) for i in view.items if i.side == "take"]
    return TradeOut(
        id=t.id, status=t.status, status_reason=t.status_reason, version=t.version,
        message=t.message, parent_id=t.parent_id, created_at=t.created_at,
        expires_at=t.expires_at, decided_at=t.decided_at,
        proposer=Person(id=t.proposer_id, name=names.get(t.proposer_id, "—")),
        recipient=Person(id=t.recipient_id, name=names.get(t.recipient_id, "—")),
        give=give, take=take,
    )  # fmt: skip
