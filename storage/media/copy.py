"""Copying every media object from one store to another: resumable and idempotent.

An object already at the target with the same size and SHA-256 is skipped, so a run that was
stopped is finished by running it again, and a second run copies nothing. Each copied object
is read back from the target and its SHA-256 compared before it counts as copied. Objects are
written whole or not at all (an atomic rename, a single PUT), so a stopped run leaves no part.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from storage.media.base import MediaNotFound, MediaStore, MediaUnavailable, StoredObject
from storage.media.keys import content_type_of, is_media_key


class CopyFailed(Exception):
    """One object could not be copied, and why."""


@dataclass
class CopyProgress:
    total: int = 0
    copied: int = 0
    skipped: int = 0
    copied_bytes: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return self.copied + self.skipped + len(self.failed)


Report = Callable[[CopyProgress], None]


async def copy_media(
    source: MediaStore, target: MediaStore, report: Report, workers: int = 8
) -> CopyProgress:
    """Copy what `source` holds under product keys to `target`; `report` hears each step."""
    listed = [item async for item in source.list_objects() if is_media_key(item.key)]
    progress = CopyProgress(total=len(listed))
    report(progress)
    queue: asyncio.Queue[StoredObject] = asyncio.Queue()
    for item in listed:
        queue.put_nowait(item)
    await asyncio.gather(*(_worker(source, target, queue, progress, report)
                           for _ in range(max(1, workers))))  # fmt: skip
    return progress


async def _worker(
    source: MediaStore,
    target: MediaStore,
    queue: asyncio.Queue[StoredObject],
    progress: CopyProgress,
    report: Report,
) -> None:
    while not queue.empty():
        item = queue.get_nowait()
        try:
            copied = await copy_object(source, target, item)
        except (CopyFailed, MediaUnavailable, MediaNotFound, OSError, ValueError) as exc:
            progress.failed.append((item.key, str(exc) or type(exc).__name__))
        else:
            progress.copied += copied
            progress.skipped += not copied
            progress.copied_bytes += item.size if copied else 0
        report(progress)


async def copy_object(source: MediaStore, target: MediaStore, item: StoredObject) -> bool:
    """True when copied, False when the target already had the same bytes."""
    if await _same_at_target(source, target, item):
        return False
    data = await source.get(item.key)
    digest = hashlib.sha256(data).hexdigest()
    recorded = await source.checksum(item.key)
    if recorded != digest:  # a recorded checksum the bytes do not match: do not spread it
        raise CopyFailed(f"the source's bytes do not match its checksum {recorded}")
    await target.put(item.key, data, content_type_of(item.key))
    if hashlib.sha256(await target.get(item.key)).hexdigest() != digest:
        raise CopyFailed("read back from the target, the bytes differ")
    return True


async def _same_at_target(source: MediaStore, target: MediaStore, item: StoredObject) -> bool:
    there = await target.head(item.key)
    if there is None or there.size != item.size:
        return False
    return await target.checksum(item.key) == await source.checksum(item.key)
