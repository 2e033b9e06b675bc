"""The media file store: photo files under paths computed from photo ids.

Blocking by design, like the image pipeline: callers run these in an executor.
"""

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Protocol

_NAME = re.compile(r"[a-z0-9_-]{1,32}")
_KEY = re.compile(
    r"[0-9a-f]{2}/[0-9a-f]{2}/(?P<photo_id>[1-9][0-9]*)/[a-z0-9_-]{1,32}\.[a-z0-9_-]{1,32}"
)
_TEMP_PREFIX = ".tmp-"


def storage_key(photo_id: int, variant: str, ext: str) -> str:
    """ "ab/cd/<photo_id>/<variant>.<ext>", sharded by a hash so ids spread over directories."""
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


class MediaStore(Protocol):
    """What the gallery needs from a place for photo files; local now, S3-compatible later."""

    def storage_key(self, photo_id: int, variant: str, ext: str) -> str: ...
    def write_atomic(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def iter_keys(self) -> Iterator[str]: ...
    def sweep_orphans(self, known_photo_ids: set[int], older_than: timedelta) -> list[str]: ...


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def storage_key(self, photo_id: int, variant: str, ext: str) -> str:
        return storage_key(photo_id, variant, ext)

    def path(self, key: str) -> Path:
        photo_id_of(key)  # refuses anything that could climb out of the root
        return self.root / key

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def write_atomic(self, key: str, data: bytes) -> None:
        """Readers see the old file or the whole new one, never a part, even after a crash."""
        target = self.path(key)
        _make_dirs(target.parent)
        fd, temp_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
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

    def delete(self, key: str) -> None:
        target = self.path(key)
        target.unlink(missing_ok=True)
        _fsync_dir(target.parent)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def iter_keys(self) -> Iterator[str]:
        for path in self._photo_files():
            if not path.name.startswith(_TEMP_PREFIX):
                yield path.relative_to(self.root).as_posix()

    def sweep_orphans(self, known_photo_ids: set[int], older_than: timedelta) -> list[str]:
        """Remove files of unknown photos and abandoned temp files, once older than the grace.

        The grace period covers uploads whose files are written before their row commits.
        """
        cutoff = time.time() - older_than.total_seconds()
        removed = []
        for path in self._photo_files():
            if _is_orphan(path, known_photo_ids) and _modified_before(path, cutoff):
                path.unlink(missing_ok=True)
                removed.append(path)
        for directory in {path.parent for path in removed}:
            _remove_if_empty(directory)
        return [path.relative_to(self.root).as_posix() for path in removed]

    def _photo_files(self) -> Iterator[Path]:
        if self.root.is_dir():
            yield from (path for path in self.root.glob("*/*/*/*") if path.is_file())


def _is_orphan(path: Path, known_photo_ids: set[int]) -> bool:
    if path.name.startswith(_TEMP_PREFIX):
        return True
    return int(path.parent.name) not in known_photo_ids if path.parent.name.isdigit() else True


def _modified_before(path: Path, cutoff: float) -> bool:
    try:
        return path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _remove_if_empty(directory: Path) -> None:
    # Photo ids are never reused, so no upload can be about to write into an emptied directory.
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
