"""What a rule tells a person, as data: the kind of event and the values its message needs.

Rules queue these into the outbox in the transaction of the change; the bot renders each into
text and buttons in the recipient's language when it sends it (bot/notices/). Values are
taken when the event happens (the titles and names people were shown then), so a message
says what happened, whatever changes later. A stored notice must stay readable by later
releases: add fields with defaults, never rename a kind.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from storage.ownership import VoidReason

TradeOutcome = Literal["accepted", "declined", "cancelled", "expired", "invalidated"]
# closed: the collection's owner was banned while the request waited
RequestOutcome = Literal["approved", "declined", "cancelled", "expired", "revoked", "closed"]


class NoticeBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class PhotoRef(NoticeBase):
    """A stored image to attach; the sender uploads it to MAX once and reuses the token."""

    photo_id: int
    key: str


class TradeProposed(NoticeBase):
    """To the recipient: a new trade (or a counter), with Accept / Decline / Open."""

    kind: Literal["trade_proposed"] = "trade_proposed"
    trade_id: int
    version: int
    counter: bool
    proposer_name: str
    you_give: list[str]  # titles, as offered
    you_get: list[str]
    message: str = ""


class TradeDecided(NoticeBase):
    """To the other party (both, when it expired): how a trade ended."""

    kind: Literal["trade_decided"] = "trade_decided"
    trade_id: int
    outcome: TradeOutcome
    other_name: str
    give: list[str] = Field(default_factory=list)  # the proposer's side, as offered
    take: list[str] = Field(default_factory=list)  # the recipient's side


class Voided(NoticeBase):
    """To both people of a pending trade or transfer voided because an object in it changed."""

    kind: Literal["voided"] = "voided"
    what: Literal["trade", "transfer"]
    reason: VoidReason
    other_name: str
    title: str = ""  # a transfer's object


class TransferOffered(NoticeBase):
    """To the named receiver of a direct transfer, with the image and Accept / Decline."""

    kind: Literal["transfer_offered"] = "transfer_offered"
    transfer_id: int
    title: str
    from_name: str
    photo: PhotoRef


class TransferDecided(NoticeBase):
    """To the owner (claimed, declined, expired) or the named receiver (cancelled)."""

    kind: Literal["transfer_decided"] = "transfer_decided"
    outcome: Literal["claimed", "declined", "cancelled", "expired"]
    title: str
    other_name: str = ""


class AccessRequested(NoticeBase):
    """To the owner of a collection: someone asks to see it, with Approve / Decline."""

    kind: Literal["access_requested"] = "access_requested"
    request_id: int
    requester_name: str


class AccessDecided(NoticeBase):
    """To the requester (approved, declined, expired, revoked) or the owner (cancelled)."""

    kind: Literal["access_decided"] = "access_decided"
    outcome: RequestOutcome
    other_name: str


class ObjectFavorited(NoticeBase):
    """To the owner, at most once an hour per object (gallery/favorites.py): `count` people
    favourited it since the last such push, `name` the latest of them."""

    kind: Literal["object_favorited"] = "object_favorited"
    object_id: int
    title: str
    count: int
    name: str  # a person's name: escape it


class ReportsWaiting(NoticeBase):
    """To each operator, at most once per batch period (moderation.report_batch_minutes): new
    reports arrived; the titles of the first few reported objects, and how many are open."""

    kind: Literal["reports_waiting"] = "reports_waiting"
    count: int  # new since the last batch
    titles: list[str] = Field(default_factory=list)
    open_total: int = 0


class ObjectHidden(NoticeBase):
    """To the owner: an operator hid their object from everyone else, and why."""

    kind: Literal["object_hidden"] = "object_hidden"
    object_id: int
    title: str
    reason: str  # the operator's words: escape them


class ObjectRestored(NoticeBase):
    """To the owner: their hidden object is visible again."""

    kind: Literal["object_restored"] = "object_restored"
    object_id: int
    title: str


class Banned(NoticeBase):
    """To the person: they are banned, and why; the bot answers nothing else."""

    kind: Literal["banned"] = "banned"
    reason: str  # the operator's words: escape them


class Unbanned(NoticeBase):
    """To the person: the ban is lifted."""

    kind: Literal["unbanned"] = "unbanned"


class ExportDone(NoticeBase):
    """To the person who asked for a data export in the chat: it is attached (the outbox row
    carries the file), too large for a chat file (download it in the mini-app), or failed."""

    kind: Literal["export_done"] = "export_done"
    export_id: int
    outcome: Literal["attached", "link_only", "too_large", "failed"]
    byte_size: int = 0
    kept_hours: int = 24  # how long the file stays downloadable


Notice = Annotated[
    TradeProposed | TradeDecided | Voided | TransferOffered | TransferDecided | AccessRequested
    | AccessDecided | ReportsWaiting | ObjectHidden | ObjectRestored | Banned | Unbanned
    | ObjectFavorited | ExportDone,
    Field(discriminator="kind"),
]
