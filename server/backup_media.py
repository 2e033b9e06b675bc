"""The media half of a backup: the objects the dumped database names, copied through the media
store interface (a directory or a bucket alike) into a plain directory, with a SHA-256 list in
`sha256sum` format; and back into whichever store the settings name, each object checked.

Objects are immutable and keyed by photo id, so copying after the dump captures every object
the dump names; an object deleted in between is reported as missing, not invented.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from storage.media import LocalMediaStore, MediaNotFound, MediaStore, content_type_of

PARALLEL = 8  # objects in flight at once: enough to hide a bucket's round trips


class MediaCorrupt(Exception):
    """An object in the backup does not match its recorded checksum."""


@dataclass(frozen=True)
class MediaCopied:
    objects: int
    bytes: int
    missing: list[str]


async def back_up_media(
    source: MediaStore, keys: Iterable[str], directory: Path, checksums: Path
) -> MediaCopied:
    """Copy `keys` from `source` into `directory`; their hashes into `checksums`."""
    target = LocalMediaStore(directory)
    hashes: dict[str, str] = {}
    missing: list[str] = []

    async def copy(key: str) -> int:
        try:
            data = await source.get(key)
        except MediaNotFound:
            missing.append(key)
            return 0
        await target.put(key, data, content_type_of(key))
        hashes[key] = hashlib.sha256(data).hexdigest()
        return len(data)

    total = await _in_parallel(copy, sorted(keys))
    listing = "".join(f"{hashes[key]}  {key}\n" for key in sorted(hashes))
    await asyncio.to_thread(checksums.write_text, listing)
    return MediaCopied(len(hashes), total, sorted(missing))


async def restore_media(directory: Path, checksums: Path, target: MediaStore) -> MediaCopied:
    """Put every object listed in `checksums` into `target`, after checking its bytes; one the
    target already holds with the same checksum is left alone, so a broken restore can resume."""
    source = LocalMediaStore(directory)
    expected = await asyncio.to_thread(read_checksums, checksums)

    async def put(key: str) -> int:
        if await target.checksum(key) == expected[key]:
            return 0
        data = await source.get(key)
        if hashlib.sha256(data).hexdigest() != expected[key]:
            raise MediaCorrupt(f"{directory / key}: its SHA-256 differs from {checksums.name}")
        await target.put(key, data, content_type_of(key))
        return len(data)

    total = await _in_parallel(put, sorted(expected))
    return MediaCopied(len(expected), total, [])


def read_checksums(checksums: Path) -> dict[str, str]:
    pairs = (line.split("  ", 1) for line in checksums.read_text().splitlines() if line)
    return {key: digest for digest, key in pairs}


async def _in_parallel(step: Callable[[str], Awaitable[int]], keys: list[str]) -> int:
    """Run `step` over `keys`, PARALLEL at a time; the sum of what the steps return (bytes)."""
    queue = iter(keys)  # shared: each worker takes the next key

    async def worker() -> int:
        return sum([await step(key) for key in queue])

    async with asyncio.TaskGroup() as group:
        workers = [group.create_task(worker()) for _ in range(PARALLEL)]
    return sum(task.result() for task in workers)
