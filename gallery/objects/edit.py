"""Changing an art object: its owner renames or re-describes it, its creator deletes it."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from gallery.objects.browse import clean_description, clean_title
from gallery.ownership.voiding import void_naming
from gallery.retry import retry_on_deadlock
from storage import objects, photos
from storage.db import Connection
from storage.errors import Conflict, Forbidden, NotFound
from storage.media import MediaStore, MediaUnavailable
from storage.objects import ObjectRow
from storage.photos import PhotoRow

log = logging.getLogger(__name__)


async def require_role(
    conn: Connection, current: ObjectRow, user_id: int, role: str, action: str, code: str
) -> None:
    """Passes when `user_id` holds `role` ("owner" or "creator") over the object. Someone who
    may not see the object is told it does not exist, as for a missing one: a refusal must not
    tell a stranger that a private object is there."""
    if getattr(current, f"{role}_id") != user_id:
        if not await objects.can_see(conn, current.id, user_id):
            raise NotFound(f"art object {current.id} does not exist")
        raise Forbidden(f"only the {role} can {action} this object", code=code)


async def lock_own(
    conn: Connection, object_id: int, user_id: int, role: str, action: str, code: str = "forbidden"
) -> ObjectRow:
    """The object, locked until the transaction ends, when `user_id` holds `role` over it."""
    current = await objects.lock_object(conn, object_id)
    await require_role(conn, current, user_id, role, action, code)
    return current


async def object_to_rename(conn: Connection, object_id: int, user_id: int) -> ObjectRow:
    """The object its owner is about to rename (the chat asks for the new title first), judged
    as edit_object will judge the rename: NotFound for a missing object or one the person may
    not see, Forbidden for anyone but its owner."""
    current = await objects.get_object(conn, object_id)
    await require_role(conn, current, user_id, "owner", "edit", "forbidden")
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
    title voids the pending trades and transfers naming the object: they were shown the old."""

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

    return await retry_on_deadlock(attempt)  # voiding locks trades other movers may hold


async def delete_object(conn: Connection, store: MediaStore, object_id: int, user_id: int) -> None:
    """Only its creator, and only while it never changed hands; its files go too. Pending
    trades and transfers naming it are voided first (both sides hear it): refusing instead
    would let anyone keep a creator from deleting by proposing a trade for the object."""

    async def attempt() -> PhotoRow:
        async with conn.transaction():
            current = await lock_own(conn, object_id, user_id, "creator", "delete")
            if current.owner_id != user_id or await objects.ever_moved(conn, object_id):
                raise Conflict("it has changed hands and is part of its history now", code="moved")
            await void_naming(conn, [object_id], "deleted", user_id)
            await objects.delete_object(conn, object_id)
            return await photos.delete_photo(conn, current.photo_id)

    photo = await retry_on_deadlock(attempt)
    # after the commit: a crash here leaves objects of an unknown photo, which the sweep removes
    await delete_files(store, (photo.original_key, photo.preview_key, photo.thumb_key))


async def delete_files(store: MediaStore, keys: Iterable[str]) -> None:
    """Best effort: what cannot be removed now is an orphan the periodic sweep removes."""
    keys = list(keys)
    try:
        await store.delete(keys)
    except (OSError, ValueError, MediaUnavailable):  # ValueError: a key the store refuses
        log.warning("could not delete media %s; the orphan sweep will", keys, exc_info=True)
