"""Rules for art objects: who sees, edits, deletes and favourites what."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from gallery.inputs import checked_text
from gallery.ownership import retry_on_deadlock
from gallery.voiding import void_naming
from storage import favorites, objects, photos
from storage.db import Connection
from storage.errors import Conflict, DomainError, Forbidden, NotFound
from storage.favorites import FavoriteState
from storage.files import MediaStore
from storage.objects import Cursor, GalleryQuery, HistoryEntry, ObjectDetail, ObjectRow, Page
from storage.photos import PhotoRow

MAX_PAGE = 60
DEFAULT_PAGE = 30
TITLE_MAX = 200
DESCRIPTION_MAX = 4000
QUERY_MAX = 200
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ObjectView:
    detail: ObjectDetail
    history: list[HistoryEntry]


@asynccontextmanager
async def connection(db: asyncpg.Pool | Connection) -> AsyncIterator[Connection]:
    """A pool's connection for the block, or the caller's own connection as it is."""
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:
        yield db


def clean_title(title: str) -> str:
    title = " ".join(checked_text(title, code="invalid_title").split())
    if not 1 <= len(title) <= TITLE_MAX:
        raise DomainError(f"a title has 1 to {TITLE_MAX} characters", code="invalid_title")
    return title


def clean_description(description: str) -> str:
    description = checked_text(description, code="invalid_description").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(
            f"a description has at most {DESCRIPTION_MAX} characters", code="invalid_description"
        )
    return description


def _page_size(limit: int | None) -> int:
    limit = DEFAULT_PAGE if limit is None else limit
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit is 1 to {MAX_PAGE}", code="invalid_limit")
    return limit


def _cursor(cursor: str | None) -> Cursor | None:
    return Cursor.decode(cursor) if cursor else None


async def gallery_page(
    conn: Connection,
    viewer: int | None,
    *,
    limit: int | None = None,
    cursor: str | None = None,
    text: str | None = None,
    owner: int | None = None,
) -> Page:
    """The public gallery, newest first; `text` searches titles and descriptions."""
    text = " ".join((text or "").split())[:QUERY_MAX] or None
    query = GalleryQuery(viewer, _page_size(limit), _cursor(cursor), owner, text)
    return await objects.list_gallery(conn, query)


async def my_objects(
    conn: Connection, user_id: int, *, limit: int | None = None, cursor: str | None = None
) -> Page:
    return await gallery_page(conn, user_id, limit=limit, cursor=cursor, owner=user_id)


async def my_favorites(
    conn: Connection, user_id: int, *, limit: int | None = None, cursor: str | None = None
) -> Page:
    return await favorites.list_favorites(conn, user_id, _page_size(limit), _cursor(cursor))


async def object_view(conn: Connection, object_id: int, viewer: int | None) -> ObjectView:
    detail = await objects.get_object_detail(conn, object_id, viewer)
    return ObjectView(detail, await objects.get_history(conn, object_id, viewer))


async def lock_own(
    conn: Connection, object_id: int, user_id: int, role: str, action: str, code: str = "forbidden"
) -> ObjectRow:
    """The object, locked, when `user_id` holds `role` ("owner" or "creator") over it. Someone
    who may not see the object is told it does not exist, as for a missing one: a refusal must
    not tell a stranger that a private object is there."""
    current = await objects.lock_object(conn, object_id)
    if getattr(current, f"{role}_id") != user_id:
        if not await objects.can_see(conn, object_id, user_id):
            raise NotFound(f"art object {object_id} does not exist")
        raise Forbidden(f"only the {role} can {action} this object", code=code)
    return current


async def edit_object(
    conn: Connection,
    object_id: int,
    user_id: int,
    *,
    title: str | None = None,
    description: str | None = None,
) -> ObjectRow:
    """The owner renames or re-describes an object; a field left None stays as it is. A new
    title voids the pending offers and transfers naming the object: they were shown the old."""

    async def attempt() -> ObjectRow:
        async with conn.transaction():
            current = await lock_own(conn, object_id, user_id, "owner", "edit")
            new_title = current.title if title is None else clean_title(title)
            new_description = (
                current.description if description is None else clean_description(description)
            )
            edited = await objects.update_text(conn, object_id, new_title, new_description)
            if new_title != current.title:
                await void_naming(conn, [object_id], "edited", user_id)
            return edited

    return await retry_on_deadlock(attempt)  # voiding locks offers other movers may hold


async def delete_object(conn: Connection, store: MediaStore, object_id: int, user_id: int) -> None:
    """Only its creator, and only while it never changed hands; its files go too. Pending
    offers and transfers naming it are voided first (both sides hear it): refusing instead
    would let anyone keep a creator from deleting by making an offer for the object."""

    async def attempt() -> PhotoRow:
        async with conn.transaction():
            current = await lock_own(conn, object_id, user_id, "creator", "delete")
            if current.owner_id != user_id or await objects.ever_moved(conn, object_id):
                raise Conflict("it has changed hands and is part of its history now", code="moved")
            await void_naming(conn, [object_id], "deleted", user_id)
            await objects.delete_object(conn, object_id)
            return await photos.delete_photo(conn, current.photo_id)

    photo = await retry_on_deadlock(attempt)
    # after the commit: a crash here leaves files of an unknown photo, which the sweep removes
    keys = (photo.original_key, photo.preview_key, photo.thumb_key)
    await asyncio.get_running_loop().run_in_executor(None, delete_files, store, keys)


def delete_files(store: MediaStore, keys: Iterable[str]) -> None:
    """Best effort: what cannot be removed now is an orphan the periodic sweep removes."""
    for key in keys:
        try:
            store.delete(key)
        except (OSError, ValueError):  # ValueError: a key the store does not recognise
            log.warning("could not delete media file %s; the orphan sweep will", key, exc_info=True)


async def set_favorite(
    conn: Connection, user_id: int, object_id: int, favorited: bool
) -> FavoriteState:
    """Idempotent both ways; only for objects the person may see."""
    await objects.get_object_detail(conn, object_id, user_id)
    if favorited:
        await favorites.add_favorite(conn, user_id, object_id)
    else:
        await favorites.remove_favorite(conn, user_id, object_id)
    return await favorites.favorite_state(conn, user_id, object_id)
