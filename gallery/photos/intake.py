"""From uploaded bytes to a stored art object: the one entry point of the bot and the API."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg

from config.settings import MediaSettings, Settings
from gallery.limits.uploads import charge_daily_uploads, check_quota
from gallery.objects.browse import clean_description, clean_title, connection
from gallery.objects.edit import delete_files
from gallery.photos.media import Derivative, GalleryViews, ImageLimits, ImageRejected, RejectCode
from gallery.photos.pools import ImagePools
from storage import objects, photos, users
from storage.db import Connection
from storage.errors import Conflict, DomainError, NotFound
from storage.media import MediaStore, content_type_of, storage_key
from storage.models import Language
from storage.objects import ObjectRow
from storage.photos import NewPhoto, PhotoRow, SimilarObject

MONTHS = {
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
}


PHOTO_WORD = {"ru": "Фото", "en": "Photo"}


class PhotoTooLarge(DomainError):
    code = str(RejectCode.TOO_LARGE)
    status = 413


class DuplicatePhoto(Conflict):
    """The photo (or one very like it) is already an object. `title` names that object only
    when the uploader may see it: a refusal must not reveal a private collection's titles."""

    def __init__(self, existing: SimilarObject | None, *, near: bool) -> None:
        self.title = existing.title if existing is not None and existing.visible else None
        what = "a very similar photo is " if near else ""
        named = f"already in the gallery as «{self.title}»" if self.title is not None else None
        detail = f"{what}{named}" if named else f"{what or 'this photo is '}already in the gallery"
        super().__init__(detail, code="near_duplicate" if near else "duplicate")


@dataclass(frozen=True)
class CreatedObject:
    object: ObjectRow
    photo: PhotoRow


def image_limits(media: MediaSettings) -> ImageLimits:
    return ImageLimits(max_bytes=media.max_bytes, max_pixels=media.max_pixels)


def default_title(language: Language, day: datetime) -> str:
    """«Фото 12 ноября 2026» / "Photo 12 Nov 2026"."""
    month = MONTHS[language].split()[day.month - 1]
    return f"{PHOTO_WORD[language]} {day.day} {month} {day.year}"


async def create_photo_object(
    db: asyncpg.Pool | Connection,
    store: MediaStore,
    pools: ImagePools,
    settings: Settings,
    *,
    uploader: int,
    data: bytes,
    title: str | None,
    description: str = "",
) -> CreatedObject:
    """Check, render, deduplicate and store one photo as an art object owned by `uploader`.

    Refusals are DomainErrors: the pipeline's code (400, or 413 for too_large), `duplicate` and
    `near_duplicate` (409), `rate_limited` (429: the day's photos or bytes) and `quota_exceeded`
    (413). Either the photo row, its files and the object all exist, or none.
    """
    title = clean_title(title) if title and title.strip() else None
    description = clean_description(description)
    await charge_daily_uploads(db, settings.limits, uploader, len(data))
    try:
        views, full = await pools.render(data, image_limits(settings.media))
    except ImageRejected as exc:
        error = PhotoTooLarge if exc.code is RejectCode.TOO_LARGE else DomainError
        raise error(exc.detail, code=str(exc.code)) from None
    async with connection(db) as conn:
        try:
            return await _store(conn, store, settings, views, full, uploader, title, description)
        except asyncpg.UniqueViolationError:
            # only when the caller's own transaction hid a concurrent upload from the intake lock
            raise await _duplicate_refusal(conn, views.sha256, uploader) from None


async def _store(
    conn: Connection,
    store: MediaStore,
    settings: Settings,
    views: GalleryViews,
    full: Derivative,
    uploader: int,
    title: str | None,
    description: str,
) -> CreatedObject:
    transaction = conn.transaction()
    await transaction.start()
    keys: list[str] = []
    try:
        # One intake at a time: near duplicates have no unique constraint to race against.
        await photos.lock_photo_intake(conn)
        language = await _uploader_language(conn, uploader)
        await check_quota(conn, settings.limits, uploader, views.byte_size)  # under the lock
        await _refuse_duplicates(conn, views, settings.media, uploader)
        photo_id = await photos.reserve_photo_id(conn)
        files = _files(photo_id, views, full)
        keys = list(files)
        photo = await photos.insert_photo(conn, _new_photo(photo_id, files, views, uploader))
        await _put_files(store, files)
        created = await _insert_object(conn, photo, uploader, title, description, language)
    except BaseException:
        with contextlib.suppress(Exception):  # a broken connection rolls back by itself
            await transaction.rollback()
        # shielded: a second cancellation must not leave what was written behind
        await asyncio.shield(delete_files(store, keys))
        raise
    # A failed COMMIT may still have committed: the objects stay, and the orphan sweep removes
    # them later if their row does not exist.
    await transaction.commit()
    return created


async def _uploader_language(conn: Connection, uploader: int) -> Language:
    user = await users.get_user(conn, uploader)
    if user is None:
        raise NotFound(f"user {uploader} is not known here")
    return user.language


async def _refuse_duplicates(
    conn: Connection, views: GalleryViews, media: MediaSettings, uploader: int
) -> None:
    exact = await photos.find_exact_duplicate(conn, views.sha256, uploader)
    if exact is not None:
        raise DuplicatePhoto(exact, near=False)
    if media.allow_near_duplicates:
        return
    distance = media.near_duplicate_distance
    near = await photos.find_near_duplicate(conn, views.dhash, distance, uploader)
    if near is not None:
        raise DuplicatePhoto(near, near=True)


async def _duplicate_refusal(conn: Connection, sha256: str, uploader: int) -> DuplicatePhoto:
    # None: the same photo is being added right now, in a transaction not yet visible here
    return DuplicatePhoto(await photos.find_exact_duplicate(conn, sha256, uploader), near=False)


def _files(photo_id: int, views: GalleryViews, full: Derivative) -> dict[str, bytes]:
    """Storage key to bytes, in column order: original (clean full copy), preview, thumb."""
    variants = (("full", full), ("preview", views.preview), ("thumb", views.thumb))
    return {storage_key(photo_id, name, view.extension): view.data for name, view in variants}


def _new_photo(
    photo_id: int, files: dict[str, bytes], views: GalleryViews, uploader: int
) -> NewPhoto:
    original_key, preview_key, thumb_key = files
    return NewPhoto(
        id=photo_id,
        sha256=views.sha256,
        dhash=views.dhash,
        width=views.width,
        height=views.height,
        format=views.format,
        byte_size=views.byte_size,
        original_key=original_key,
        preview_key=preview_key,
        thumb_key=thumb_key,
        placeholder=views.placeholder,
        uploaded_by=uploader,
        taken_at=views.taken_at,
    )


async def _insert_object(
    conn: Connection,
    photo: PhotoRow,
    uploader: int,
    title: str | None,
    description: str,
    language: Language,
) -> CreatedObject:
    title = title or default_title(language, photo.taken_at or datetime.now(UTC))
    created = await objects.insert_object(
        conn, photo_id=photo.id, title=title, description=description, creator_id=uploader
    )
    await objects.record_creation(conn, created.id, uploader)
    return CreatedObject(object=created, photo=photo)


async def _put_files(store: MediaStore, files: dict[str, bytes]) -> None:
    # one after another: when one fails, none is still being written while its keys are
    # deleted (a write running in a thread or in the store's client outlives a cancellation)
    for key, data in files.items():
        await store.put(key, data, content_type_of(key))
