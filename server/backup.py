"""A backup is a directory: the database as pg_dump wrote it, the media objects it names, their
checksums, and a manifest (written last, so a directory without one is no backup) with the
counts a restore is checked against. docs/operations.md walks an operator through both ways.

    DIR/manifest.json   format, when, row counts per table, migrations, sizes, timings
    DIR/database.dump   pg_dump --format=custom of one snapshot, taken while the app runs
    DIR/media/          the objects, laid out as in a local media.root
    DIR/media.sha256    `sha256sum -c` checks DIR/media against it
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from config.settings import Settings
from server.backup_db import RestoreRefused, dump_database, restore_database
from server.backup_media import back_up_media, restore_media
from storage.db import database_url
from storage.media import open_media_store

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHECKSUMS = "media.sha256"


class BackupError(Exception):
    """The backup cannot be made or read; the message says why."""


class DatabasePart(BaseModel):
    file: str = DUMP
    sha256: str
    bytes: int
    server_version: str
    pg_dump_major: int
    rows: dict[str, int]
    migrations: list[str]


class MediaPart(BaseModel):
    directory: str = MEDIA
    checksums: str = CHECKSUMS
    backend: str
    objects: int
    bytes: int
    # objects the dump names that were gone when copied: deleted while the backup ran
    missing: list[str]


class Manifest(BaseModel):
    format: Literal[1] = 1
    created_at: datetime
    database: DatabasePart
    media: MediaPart
    seconds: dict[str, float]


class Restored(BaseModel):
    rows: dict[str, int]
    media_objects: int
    media_bytes_written: int
    seconds: dict[str, float]


async def back_up(settings: Settings, target: Path, pg_bin: Path | None = None) -> Manifest:
    """Dump the database, then copy the media its snapshot names, into `target` (new or empty)."""
    await asyncio.to_thread(_prepare, target)
    clock = _Clock()
    async with database_url(settings.database) as url:
        dumped = await dump_database(url, target / DUMP, pg_bin)
    clock.lap("dump")
    store = open_media_store(settings.media)
    keys = dumped.snapshot.media_keys
    copied = await back_up_media(store, keys, target / MEDIA, target / CHECKSUMS)
    clock.lap("media")
    snapshot = dumped.snapshot
    digest, size = await asyncio.to_thread(_digest_and_size, target / DUMP)
    database = DatabasePart(
        sha256=digest,
        bytes=size,
        server_version=snapshot.server_version,
        pg_dump_major=dumped.pg_dump_major,
        rows=snapshot.rows,
        migrations=snapshot.migrations,
    )
    media = MediaPart(
        backend=store.backend, objects=copied.objects, bytes=copied.bytes, missing=copied.missing
    )
    manifest = Manifest(
        created_at=datetime.now(UTC), database=database, media=media, seconds=clock.laps
    )
    await asyncio.to_thread((target / MANIFEST).write_text, manifest.model_dump_json(indent=2))
    return manifest


async def restore(settings: Settings, source: Path, pg_bin: Path | None = None) -> Restored:
    """Media first (resumable: objects already there are skipped), then the database, into an
    empty database: run again after a failure and it carries on where it stopped."""
    manifest = await asyncio.to_thread(read_manifest, source)
    clock = _Clock()
    store = open_media_store(settings.media)
    copied = await restore_media(source / MEDIA, source / CHECKSUMS, store)
    clock.lap("media")
    async with database_url(settings.database) as url:
        snapshot = await restore_database(
            url, source / DUMP, manifest.database.pg_dump_major, pg_bin
        )
    clock.lap("restore")
    if snapshot.rows != manifest.database.rows:
        raise RestoreRefused(f"restored rows {snapshot.rows} differ from the manifest's")
    return Restored(
        rows=snapshot.rows,
        media_objects=copied.objects,
        media_bytes_written=copied.bytes,
        seconds=clock.laps,
    )


def read_manifest(source: Path) -> Manifest:
    """The manifest, once the dump is checked against it; BackupError for anything amiss."""
    try:
        manifest = Manifest.model_validate_json((source / MANIFEST).read_bytes())
    except FileNotFoundError:
        raise BackupError(f"{source}: no {MANIFEST}, so not a complete backup") from None
    except ValidationError as exc:
        raise BackupError(f"{source / MANIFEST}: not a backup manifest: {exc}") from None
    if _sha256_of(source / DUMP) != manifest.database.sha256:
        raise BackupError(f"{source / DUMP}: its SHA-256 differs from the manifest's")
    return manifest


def _prepare(target: Path) -> None:
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new directory")
    target.mkdir(parents=True, exist_ok=True)


def _digest_and_size(path: Path) -> tuple[str, int]:
    return _sha256_of(path), path.stat().st_size


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._since = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._since, 3)
        self._since = now
