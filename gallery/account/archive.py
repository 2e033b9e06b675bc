"""The export's zip: export.json and the original photos, written one entry at a time to a
temporary file in a worker thread, never whole in memory and never on the event loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import tempfile
import zipfile
from datetime import date, datetime
from typing import IO, Any

from storage import exports
from storage.db import Connection
from storage.exports import ExportPhoto
from storage.media import MediaStore

ExportContent = tuple[dict[str, list[dict[str, Any]]], list[ExportPhoto]]

FORMAT = "max-photo-gallery-export/1"


class TooLarge(Exception):
    """The zip passed the cap while it was being written."""


async def read_content(conn: Connection, user_id: int) -> ExportContent:
    """What goes into the zip, read in one repeatable-read snapshot."""
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        return await exports.export_data(conn, user_id), await exports.owned_photos(conn, user_id)


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def export_json(data: dict[str, Any], user_id: int, at: datetime) -> bytes:
    profile = data.pop("profile")
    document = {"format": FORMAT, "exported_at": at, "user_id": user_id,
                "profile": profile[0] if profile else None, **data}  # fmt: skip
    return json.dumps(document, default=_json_default, ensure_ascii=False, indent=1).encode()


class ZipWriter:
    """A zip in a temporary file; every write runs in a thread and checks the cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix="gallery-export-")  # noqa: SIM115
        self.zip = zipfile.ZipFile(self.file, "w", compression=zipfile.ZIP_STORED)

    def _add(self, name: str, data: bytes, compress: bool) -> None:
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self.zip.writestr(name, data, compress_type=method)
        if self.file.tell() > self.cap:
            raise TooLarge(name)

    async def add(self, name: str, data: bytes, *, compress: bool = False) -> None:
        await asyncio.to_thread(self._add, name, data, compress)

    def _finish(self) -> bytes:
        self.zip.close()
        if self.file.tell() > self.cap:
            raise TooLarge("central directory")
        self.file.seek(0)
        return self.file.read()

    async def finish(self) -> bytes:
        """The whole zip, read back once (the store takes bytes), at most `cap` long."""
        return await asyncio.to_thread(self._finish)

    def close(self) -> None:
        """Both, whatever state a failed build left them in (a zip left open would try to
        write its directory to the closed file when collected)."""
        with contextlib.suppress(OSError, ValueError):
            self.zip.close()
        self.file.close()


async def build_zip(
    store: MediaStore, user_id: int, content: ExportContent, cap: int, at: datetime
) -> bytes:
    """The person's export, TooLarge past `cap` bytes (no connection held meanwhile)."""
    data, photos = content
    writer = ZipWriter(cap)
    try:
        await writer.add("export.json", export_json(data, user_id, at), compress=True)
        for photo in photos:
            await _add_photo(writer, store, photo)
        return await writer.finish()
    finally:
        await asyncio.to_thread(writer.close)


async def _add_photo(writer: ZipWriter, store: MediaStore, photo: ExportPhoto) -> None:
    # photos are compressed already: stored as they are
    await writer.add(f"photos/{photo.object_id}.{photo.format}", await store.get(photo.key))
