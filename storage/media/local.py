"""Media in a directory: atomic writes with fsync, served with sendfile from the path.

The file system calls block, so each runs in a thread (asyncio.to_thread), never on the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.media.base import (
    MediaNotFound,
    MediaStream,
    MediaUnavailable,
    StoredObject,
    sweep_listed,
)
from storage.media.keys import check_key

TEMP_PREFIX = ".tmp-"


class LocalMediaStore:
    backend = "local"

    def __init__(self, root: Path) -> None:
        self.root = root

    def local_path(self, key: str) -> Path:
        check_key(key)  # refuses anything that could climb out of the root
        return self.root / key

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(write_atomic, self.local_path(key), data)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self.local_path(key).read_bytes)
        except (FileNotFoundError, NotADirectoryError):
            raise MediaNotFound(key) from None

    async def open(self, key: str) -> MediaStream:
        data = await self.get(key)
        return MediaStream(size=len(data), etag=None, chunks=_once(data))

    async def delete(self, keys: Iterable[str]) -> None:
        paths = [self.local_path(key) for key in keys]
        if paths:
            await asyncio.to_thread(_unlink_all, paths)

    async def head(self, key: str) -> StoredObject | None:
        return await asyncio.to_thread(self._stat, key)

    async def checksum(self, key: str) -> str | None:
        return await asyncio.to_thread(_sha256_of, self.local_path(key))

    async def list_objects(self, prefix: str = "") -> AsyncIterator[StoredObject]:
        # one shard directory per thread hop: a big store never sits in memory whole
        for shard in await asyncio.to_thread(self._shards, prefix):
            for listed in await asyncio.to_thread(self._scan, shard, prefix):
                yield listed

    async def sweep_orphans(self, known_photo_ids: set[int], older_than: timedelta) -> list[str]:
        removed = await sweep_listed(self, known_photo_ids, older_than)
        cutoff = time.time() - older_than.total_seconds()
        temps = await asyncio.to_thread(self._sweep_temp_files, cutoff)
        await asyncio.to_thread(_remove_empty_parents, [self.root / key for key in removed])
        return removed + temps

    async def check(self) -> None:
        await asyncio.to_thread(self._check)

    async def presigned_url(self, key: str, expires_in: timedelta) -> str | None:
        return None

    def _stat(self, key: str) -> StoredObject | None:
        try:
            stat = self.local_path(key).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return StoredObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))

    def _shards(self, prefix: str) -> list[Path]:
        if not self.root.is_dir():
            return []
        shards = sorted(path for path in self.root.glob("*/*") if path.is_dir())
        return [s for s in shards if _may_hold(s.relative_to(self.root).as_posix(), prefix)]

    def _scan(self, shard: Path, prefix: str) -> list[StoredObject]:
        found = []
        for path in sorted(shard.glob("*/*")):
            key = path.relative_to(self.root).as_posix()
            if path.name.startswith(TEMP_PREFIX) or not key.startswith(prefix):
                continue
            with contextlib.suppress(FileNotFoundError, ValueError):
                listed = self._stat(key)
                if listed is not None and path.is_file():
                    found.append(listed)
        return found

    def _sweep_temp_files(self, cutoff: float) -> list[str]:
        """Temp files a crashed write left behind, once older than the grace."""
        removed = []
        for path in self.root.glob(f"*/*/*/{TEMP_PREFIX}*") if self.root.is_dir() else ():
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed.append(path.relative_to(self.root).as_posix())
        return removed

    def _check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            message = f"cannot create {self.root}: {exc.strerror}"
            raise MediaUnavailable(message, "cannot create the directory") from None
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise MediaUnavailable(f"{self.root} is not writable", "directory not writable")


def _may_hold(shard: str, prefix: str) -> bool:
    """Whether a shard directory ("ab/cd") may hold keys starting with `prefix`."""
    return shard.startswith(prefix) or prefix.startswith(shard)


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def write_atomic(target: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never a part, even after a crash."""
    _make_dirs(target.parent)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
    for directory in {path.parent for path in paths if path.parent.is_dir()}:
        _fsync_dir(directory)


def _sha256_of(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return digest.hexdigest()


def _remove_empty_parents(paths: list[Path]) -> None:
    # Photo ids are never reused, so no upload can be about to write into an emptied directory.
    for directory in {path.parent for path in paths}:
        with contextlib.suppress(OSError):
            directory.rmdir()


def _make_dirs(directory: Path) -> None:
    """Create missing directories, syncing each parent so the new entries survive a crash."""
    missing = [parent for parent in (directory, *directory.parents) if not parent.exists()]
    for created in reversed(missing):
        created.mkdir(exist_ok=True)
        _fsync_dir(created.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
