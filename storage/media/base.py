"""The one interface every piece of the product uses for media objects, whatever holds them.

Two backends implement it: a directory (local.py) and an S3-compatible bucket (s3.py). Keys are
computed from photo ids (keys.py); the bytes behind a key never change, because ids are never
reused, which is what lets every cache call them immutable.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from storage.media.keys import is_media_key, photo_id_of

# what a cache may do with an object: the bytes behind a key never change
IMMUTABLE = "private, max-age=31536000, immutable"
DELETE_BATCH = 1000  # S3's DeleteObjects takes at most 1000 keys


class MediaNotFound(FileNotFoundError):
    """No object under this key."""


class MediaUnavailable(Exception):
    """The store cannot be reached or refused us. The message says where and why and names no
    secret; `reason` is the why alone (NoSuchBucket, unreachable), for /ready to show anyone."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    last_modified: datetime  # timezone-aware


@dataclass(frozen=True)
class MediaStream:
    """An object being read, for a response that streams it."""

    size: int
    etag: str | None
    chunks: AsyncIterator[bytes | memoryview]


class MediaStore(Protocol):
    backend: str  # "local" or "s3", for /ready and logs

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Whole or not at all: a reader never sees part of an object."""

    async def get(self, key: str) -> bytes:
        """MediaNotFound when there is none."""

    async def open(self, key: str) -> MediaStream:
        """MediaNotFound when there is none."""

    async def delete(self, keys: Iterable[str]) -> None:
        """Keys that are already gone are fine."""

    async def head(self, key: str) -> StoredObject | None: ...

    async def checksum(self, key: str) -> str | None:
        """The object's SHA-256 (hex), None when there is none."""

    def list_objects(self, prefix: str = "") -> AsyncIterator[StoredObject]: ...

    async def sweep_orphans(self, known_photo_ids: set[int], older_than: timedelta) -> list[str]:
        """Remove objects of photos not in `known_photo_ids` once older than `older_than`."""

    async def check(self) -> None:
        """MediaUnavailable unless the store answers; cheap enough for every /ready."""

    def local_path(self, key: str) -> Path | None:
        """Where the object is on this machine's disk, for sendfile; None for a remote store."""

    async def presigned_url(self, key: str, expires_in: timedelta) -> str | None:
        """A URL that reads the object without passing through the app, for `expires_in`;
        None for a store that has no such URL."""


async def sweep_listed(
    store: MediaStore, known_photo_ids: set[int], older_than: timedelta
) -> list[str]:
    """The sweep on top of list and delete. Only keys this product makes are candidates (a
    bucket may hold other things), and nothing younger than the grace: an upload writes its
    objects before its row commits."""
    cutoff = datetime.now(UTC) - older_than
    doomed = [
        listed.key
        async for listed in store.list_objects()
        if _is_orphan(listed.key, known_photo_ids) and listed.last_modified < cutoff
    ]
    for start in range(0, len(doomed), DELETE_BATCH):
        await store.delete(doomed[start : start + DELETE_BATCH])
    return doomed


def _is_orphan(key: str, known_photo_ids: set[int]) -> bool:
    return is_media_key(key) and photo_id_of(key) not in known_photo_ids
