"""Upload bench, store half: one upload's three objects (clean full copy, preview, thumb)
written the way the intake writes them, to a directory or to a bucket (SeaweedFS, started
here). Used by bench/upload.py --backend."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gallery.photos.media import ImageLimits, render_full_copy, render_gallery_views
from storage.media import LocalMediaStore, MediaStore, S3MediaStore, content_type_of, storage_key
from tests.s3.conftest import s3_media
from tests.s3server import seaweed


@dataclass(frozen=True)
class StoreFigures:
    backend: str
    upload_kb: float
    write_ms_p50: float
    write_ms_p99: float
    uploads_per_s: float


@contextmanager
def media_store(backend: str) -> Iterator[MediaStore]:
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        if backend == "local":
            yield LocalMediaStore(Path(tmp) / "media")
            return
        with seaweed(Path(tmp) / "s3") as server:
            yield S3MediaStore.from_settings(s3_media(server))


def upload_objects(photo: bytes) -> list[tuple[str, bytes, str]]:
    """What the intake writes for `photo`: ("<variant>.<ext>", bytes, content type)."""
    views = render_gallery_views(photo, ImageLimits())
    full = render_full_copy(photo, ImageLimits())
    variants = (("full", full), ("preview", views.preview), ("thumb", views.thumb))
    return [(storage_key(1, name, view.extension).rpartition("/")[2], view.data,
             content_type_of(f"x.{view.extension}")) for name, view in variants]  # fmt: skip


async def _write(store: MediaStore, photo_id: int, objects: list[tuple[str, bytes, str]]) -> float:
    started = time.perf_counter()
    for file_name, data, content_type in objects:  # one after another, as the intake does
        variant, _, ext = file_name.partition(".")
        await store.put(storage_key(photo_id, variant, ext), data, content_type)
    return time.perf_counter() - started


async def _writes(
    store: MediaStore, objects: list[tuple[str, bytes, str]], uploads: int, concurrency: int
) -> tuple[list[float], float]:
    ids = iter(range(1, uploads + 1))
    timings: list[float] = []

    async def worker() -> None:
        for photo_id in ids:
            timings.append(await _write(store, photo_id, objects))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return timings, time.perf_counter() - started


def run_store_bench(
    backend: str, photo: bytes, uploads: int = 200, concurrency: int = 4
) -> StoreFigures:
    objects = upload_objects(photo)
    with media_store(backend) as store:
        timings, elapsed = asyncio.run(_writes(store, objects, uploads, concurrency))
    ordered = sorted(timings)
    return StoreFigures(
        backend=backend,
        upload_kb=sum(len(data) for _, data, _ in objects) / 1000,
        write_ms_p50=statistics.median(ordered) * 1000,
        write_ms_p99=ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
        uploads_per_s=uploads / elapsed,
    )


def print_store_figures(figures: StoreFigures, concurrency: int) -> None:
    print(f"store ({figures.backend}): one upload's three objects, {figures.upload_kb:.0f} KB, "
          f"{concurrency} uploads at once")  # fmt: skip
    print(f"    writes p50 {figures.write_ms_p50:6.1f} ms   p99 {figures.write_ms_p99:6.1f} ms"
          f"   {figures.uploads_per_s:6.1f} uploads/s")  # fmt: skip
