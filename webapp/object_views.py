"""What the objects API reads and answers: query and body models, response models, renderers.

Shared by the object, photo, trade, transfer and history routes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from aiohttp import web
from asyncpg import Record
from pydantic import BaseModel, ConfigDict, Field

from gallery.objects import browse
from gallery.objects.browse import ObjectView
from gallery.ownership.holds import held_until
from storage.history import HistoryEntry
from storage.objects import ObjectDetail
from storage.pages import Page
from webapp.inputs import BodyIn, QueryId, QueryIn
from webapp.media_urls import MediaSigner


class Query(QueryIn):
    pass


class PageQuery(Query):
    limit: int = Field(browse.DEFAULT_PAGE, ge=1, le=browse.MAX_PAGE)
    cursor: str | None = Field(None, max_length=64, description="next_cursor of the last page")


class GalleryQuery(PageQuery):
    q: str | None = Field(
        None, max_length=browse.QUERY_MAX, description="words, Russian or English"
    )
    owner: QueryId | None = Field(None, description="only objects this user owns")


class ObjectEdit(BodyIn):
    title: str | None = Field(None, min_length=1, max_length=browse.TITLE_MAX)
    description: str | None = Field(None, max_length=browse.DESCRIPTION_MAX)


class Out(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)


class Person(Out):
    id: int
    name: str


class Owner(Person):
    avatar: str | None


class Media(Out):
    """Signed URLs that expire; fetch them again with the object when they do."""

    thumb: str
    preview: str
    full: str | None = None


class ItemOut(Out):
    id: int
    title: str
    created_at: datetime
    owner: Owner
    width: int
    height: int
    placeholder: str = Field(description="thumbhash (base64) to paint before the thumb loads")
    media: Media


class PageOut(Out):
    items: list[ItemOut]
    next_cursor: str | None


class PhotoFacts(Out):
    width: int
    height: int
    format: str
    byte_size: int
    taken_at: datetime | None
    placeholder: str


class HistoryOut(Out):
    from_: Person | None = Field(
        alias="from", description="null at creation, or when that person is hidden from you"
    )
    to: Person | None = Field(description="null when that person is hidden from you")
    reason: str
    at: datetime


class HiddenOut(Out):
    at: datetime
    reason: str


class ObjectOut(Out):
    id: int
    title: str
    description: str
    created_at: datetime
    updated_at: datetime
    version: int
    creator_id: int
    owner: Owner
    photo: PhotoFacts
    favorite_count: int
    favorited: bool
    history: list[HistoryOut]
    media: Media
    hidden: HiddenOut | None = Field(
        None, description="set when an operator hid the object: only its owner sees it then"
    )
    held_until: datetime | None = Field(
        None,
        description="set while the object is on hold after a trade or transfer "
        "(docs/holds.md): until then nobody may name it in a trade or transfer",
    )


class FavoriteOut(Out):
    favorited: bool
    favorite_count: int


def item_json(row: Record, url_at: Callable[[int, str, int], str], exp: int) -> dict[str, Any]:
    """One tile (a record of storage.pages.TILE_COLUMNS), shaped as ItemOut."""
    photo_id = row["photo_id"]
    return {
        "id": row["id"], "title": row["title"], "created_at": row["created_at"],
        "owner": {"id": row["owner_id"], "name": row["owner_name"], "avatar": row["owner_avatar"]},
        "width": row["width"], "height": row["height"], "placeholder": row["placeholder"],
        "media": {"thumb": url_at(photo_id, row["thumb_key"], exp),
                  "preview": url_at(photo_id, row["preview_key"], exp),
                  "full": None},
    }  # fmt: skip


def page_json(page: Page, signer: MediaSigner, now: float) -> web.Response:
    """A gallery page, shaped as PageOut (tests hold every page to that schema), but built from
    the rows with dicts and orjson: three model constructions per tile, 90 a page, were most of
    the CPU of the app's busiest endpoint. Every URL of a page expires at the same time."""
    url_at, exp = signer.url_at, signer.expiry(now)
    body = {"items": [item_json(row, url_at, exp) for row in page.items],
            "next_cursor": page.next_cursor}  # fmt: skip
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def person_or_hidden(user_id: int | None, name: str | None) -> Person | None:
    """A person in a history, or None where they are hidden from the viewer."""
    return None if user_id is None else Person(id=user_id, name=name or "—")


def history_out(entry: HistoryEntry) -> HistoryOut:
    return HistoryOut(
        from_=person_or_hidden(entry.from_user_id, entry.from_name),
        to=person_or_hidden(entry.to_user_id, entry.to_name),
        reason=entry.reason,
        at=entry.created_at,
    )


def hidden_out(detail: ObjectDetail) -> HiddenOut | None:
    if detail.hidden_at is None:
        return None
    return HiddenOut(at=detail.hidden_at, reason=detail.hidden_reason or "")


def object_out(
    view: ObjectView, signer: MediaSigner, now: float, *, hold_hours: int = 0
) -> ObjectOut:
    """`hold_hours`: rules.hold_hours where the object may have changed hands (0 after upload)."""
    d = view.detail
    return ObjectOut(
        id=d.id,
        title=d.title,
        description=d.description,
        created_at=d.created_at,
        updated_at=d.updated_at,
        version=d.version,
        creator_id=d.creator_id,
        owner=Owner(id=d.owner_id, name=d.owner_name, avatar=d.owner_avatar),
        photo=PhotoFacts(
            width=d.width,
            height=d.height,
            format=d.format,
            byte_size=d.byte_size,
            taken_at=d.taken_at,
            placeholder=d.placeholder,
        ),
        favorite_count=d.favorite_count,
        favorited=d.favorited,
        hidden=hidden_out(d),
        held_until=held_until(d.received_at, hold_hours),
        history=[history_out(entry) for entry in view.history],
        media=Media(
            thumb=signer.url_for_key(d.photo_id, d.thumb_key, now),
            preview=signer.url_for_key(d.photo_id, d.preview_key, now),
            full=signer.url_for_key(d.photo_id, d.original_key, now),
        ),
    )
