"""Storage keys: "ab/cd/<photo_id>/<variant>.<ext>", computed from photo ids, the same in every
backend (a directory path on disk, an object key in a bucket)."""

from __future__ import annotations

import hashlib
import re

_NAME = re.compile(r"[a-z0-9_-]{1,32}")
_KEY = re.compile(
    r"[0-9a-f]{2}/[0-9a-f]{2}/(?P<photo_id>[1-9][0-9]*)/[a-z0-9_-]{1,32}\.(?P<ext>[a-z0-9_-]{1,32})"
)
CONTENT_TYPES = {
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"
# A data export's zip (gallery/account/): outside the photos' key space, so the orphan sweep
# never takes it; the exports' own sweep deletes it when it expires.
_EXPORT_KEY = re.compile(r"exports/[1-9][0-9]*-[0-9a-f]{32}\.zip")


def storage_key(photo_id: int, variant: str, ext: str) -> str:
    """ "ab/cd/<photo_id>/<variant>.<ext>", sharded by a hash so ids spread over directories
    (and over a bucket's key space)."""
    if photo_id < 1 or not _NAME.fullmatch(variant) or not _NAME.fullmatch(ext):
        raise ValueError(f"no storage key for photo {photo_id!r}, {variant!r}.{ext!r}")
    shard = hashlib.sha256(str(photo_id).encode()).hexdigest()
    return f"{shard[:2]}/{shard[2:4]}/{photo_id}/{variant}.{ext}"


def photo_id_of(key: str) -> int:
    """The photo a key belongs to; a key not made by `storage_key` is refused."""
    match = _KEY.fullmatch(key)
    if match is None:
        raise ValueError(f"not a media storage key: {key!r}")
    return int(match["photo_id"])


def export_key(export_id: int, nonce: str) -> str:
    key = f"exports/{export_id}-{nonce}.zip"
    if not _EXPORT_KEY.fullmatch(key):
        raise ValueError(f"no export key for {export_id!r}, {nonce!r}")
    return key


def check_key(key: str) -> None:
    """ValueError for anything but a photo's key or an export's (a path that could escape)."""
    if not _EXPORT_KEY.fullmatch(key):
        photo_id_of(key)


def is_media_key(key: str) -> bool:
    return _KEY.fullmatch(key) is not None


def content_type_of(key: str) -> str:
    return CONTENT_TYPES.get(key.rpartition(".")[2], FALLBACK_CONTENT_TYPE)
