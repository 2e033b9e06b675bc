"""What the transfer API reads and answers: body and query models, response models, renderer."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from gallery.transfers import view as transfer_views
from storage.transfers import TransferKind, TransferStatus, TransferView
from webapp.inputs import BodyIn, Id, QueryIn
from webapp.media_urls import MediaSigner
from webapp.object_views import Out, Person

TOKEN_MAX = 200


class TransferIn(BodyIn):
    object_id: Id
    to_user_id: Id | None = Field(None, description="a named receiver; omit for a QR transfer")
    replace: bool = Field(False, description="cancel the object's pending transfer first")


class TokenIn(BodyIn):
    token: str = Field(max_length=TOKEN_MAX)


class BoxQuery(QueryIn):
    box: transfer_views.Box = "incoming"
    limit: int = Field(50, ge=1, le=transfer_views.LIST_MAX)


class QrQuery(QueryIn):
    token: str = Field(max_length=TOKEN_MAX, description="the token the create call returned")


class ObjectRef(Out):
    id: int
    title: str = Field(description="the title it was offered with")
    visible: bool = Field(description="false once the object is in a collection hidden from you")
    thumb: str | None = Field(description="null when not visible")
    preview: str | None = Field(description="null when not visible")


class TransferOut(Out):
    id: int
    kind: TransferKind
    status: TransferStatus
    object: ObjectRef
    from_: Person = Field(alias="from")
    to: Person | None
    expires_at: datetime
    created_at: datetime
    decided_at: datetime | None


class CreatedOut(TransferOut):
    token: str | None = Field(description="QR transfers only; shown this once, never again")
    deep_link: str | None = Field(description="https://max.ru/<bot>?start=t_<token>")
    app_link: str | None = Field(description="https://max.ru/<bot>?startapp=t_<token>")
    qr_png_url: str | None


class TransferList(Out):
    items: list[TransferOut]


def transfer_out(view: TransferView, signer: MediaSigner, now: float) -> TransferOut:
    receiver = None
    if view.to_user_id is not None:
        receiver = Person(id=view.to_user_id, name=view.to_name or "—")
    def signed(key: str) -> str | None:  # only what the viewer may see gets a working URL
        return signer.url_for_key(view.photo_id, key, now) if view.visible else None

    return TransferOut.model_validate({
        "id": view.id, "kind": view.kind, "status": view.status,
        "object": {"id": view.object_id, "title": view.title, "visible": view.visible,
                   "thumb": signed(view.thumb_key), "preview": signed(view.preview_key)},
        "from": {"id": view.from_user_id, "name": view.from_name}, "to": receiver,
        "expires_at": view.expires_at, "created_at": view.created_at,
        "decided_at": view.decided_at,
    })  # fmt: skip
