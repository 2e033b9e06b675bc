"""Media objects: one async interface (base.MediaStore), a directory or an S3-compatible bucket
behind it, and keys computed from photo ids. docs/architecture.md, Storage, says more."""

from __future__ import annotations

from config.loading import check_media
from config.settings import MediaSettings
from storage.media.base import (
    IMMUTABLE,
    MediaNotFound,
    MediaStore,
    MediaStream,
    MediaUnavailable,
    StoredObject,
)
from storage.media.keys import (
    CONTENT_TYPES,
    content_type_of,
    is_media_key,
    photo_id_of,
    storage_key,
)
from storage.media.local import LocalMediaStore
from storage.media.s3 import S3MediaStore

__all__ = [
    "CONTENT_TYPES",
    "IMMUTABLE",
    "LocalMediaStore",
    "MediaNotFound",
    "MediaStore",
    "MediaStream",
    "MediaUnavailable",
    "S3MediaStore",
    "StoredObject",
    "content_type_of",
    "is_media_key",
    "open_media_store",
    "photo_id_of",
    "storage_key",
]


def open_media_store(media: MediaSettings) -> MediaStore:
    """The store the settings name. No I/O: the first call reaches the store (check() does on
    /ready). SettingsError for settings that cannot work (config.loading.check_media)."""
    check_media(media)
    if media.backend == "s3":
        return S3MediaStore.from_settings(media)
    return LocalMediaStore(media.root)
