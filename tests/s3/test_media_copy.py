"""`python -m gallery media copy`: a directory into the bucket and back, resumable,
idempotent, checksums verified, and every failure counted."""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from storage.media import LocalMediaStore, MediaStore, S3MediaStore, storage_key
from storage.media.copy import CopyProgress, copy_media
from tests.s3.conftest import empty, s3_media
from tests.s3server import SeaweedServer

pytestmark = pytest.mark.s3

REPO = Path(__file__).resolve().parents[2]


class Stop(Exception):
    """Stands for the operator's Ctrl-C, or a crash, half-way."""


@pytest.fixture
async def bucket(s3_server: SeaweedServer) -> S3MediaStore:
    store = S3MediaStore.from_settings(s3_media(s3_server))
    await empty(store)
    return store


async def filled_directory(root: Path, count: int = 10) -> dict[str, bytes]:
    store, rng = LocalMediaStore(root), random.Random(count)
    files = {storage_key(n, "preview", "webp"): rng.randbytes(rng.randrange(1, 50_000))
             for n in range(1, count + 1)}  # fmt: skip
    for key, data in files.items():
        await store.put(key, data, "image/webp")
    return files


async def contents(store: MediaStore) -> dict[str, bytes]:
    return {item.key: await store.get(item.key) async for item in store.list_objects()}


def counts(progress: CopyProgress) -> tuple[int, int, int, int]:
    return progress.total, progress.copied, progress.skipped, len(progress.failed)


async def test_a_directory_goes_into_the_bucket_and_a_second_run_copies_nothing(
    tmp_path: Path, bucket: S3MediaStore
) -> None:
    files = await filled_directory(tmp_path / "media")
    seen: list[int] = []
    source = LocalMediaStore(tmp_path / "media")
    first = await copy_media(source, bucket, lambda p: seen.append(p.done))
    assert counts(first) == (10, 10, 0, 0)
    assert first.copied_bytes == sum(len(data) for data in files.values())
    assert seen == list(range(11))
    assert await contents(bucket) == files
    for key, data in files.items():
        assert await bucket.checksum(key) == hashlib.sha256(data).hexdigest()
    again = await copy_media(source, bucket, lambda p: None)
    assert counts(again) == (10, 0, 10, 0)


async def test_a_stopped_copy_finishes_on_the_next_run_and_replaces_what_differs(
    tmp_path: Path, bucket: S3MediaStore
) -> None:
    files = await filled_directory(tmp_path / "media")
    source = LocalMediaStore(tmp_path / "media")

    def stop_after_four(progress: CopyProgress) -> None:
        if progress.copied == 4:
            raise Stop

    with pytest.raises(Stop):
        await copy_media(source, bucket, stop_after_four, workers=1)
    assert len(await contents(bucket)) == 4
    damaged = sorted(await contents(bucket))[0]  # same size, other bytes: not skipped
    await bucket.put(damaged, bytes(len(files[damaged])), "image/webp")
    resumed = await copy_media(source, bucket, lambda p: None)
    assert counts(resumed) == (10, 7, 3, 0)
    assert await contents(bucket) == files


async def test_the_bucket_comes_back_into_a_directory(tmp_path: Path, bucket: S3MediaStore) -> None:
    files = await filled_directory(tmp_path / "media", count=5)
    await copy_media(LocalMediaStore(tmp_path / "media"), bucket, lambda p: None)
    restored = LocalMediaStore(tmp_path / "restored")
    assert counts(await copy_media(bucket, restored, lambda p: None)) == (5, 5, 0, 0)
    assert await contents(restored) == files


async def test_an_object_that_cannot_be_written_fails_alone(
    tmp_path: Path, bucket: S3MediaStore
) -> None:
    files = await filled_directory(tmp_path / "media", count=4)
    await copy_media(LocalMediaStore(tmp_path / "media"), bucket, lambda p: None)
    target = LocalMediaStore(tmp_path / "restored")
    blocked = sorted(files)[1]
    target.local_path(blocked).mkdir(parents=True)  # a directory where the file should go
    progress = await copy_media(bucket, target, lambda p: None)
    assert counts(progress) == (4, 3, 0, 1)
    assert progress.failed[0][0] == blocked


def gallery(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gallery", "media", "copy", *args],
        capture_output=True, text=True, timeout=120, cwd=REPO, env={**os.environ, **env},
    )  # fmt: skip


async def test_the_command_copies_reports_and_exits_by_the_outcome(
    tmp_path: Path, bucket: S3MediaStore, s3_server: SeaweedServer
) -> None:
    await filled_directory(tmp_path / "media", count=3)
    env = {**s3_server.environment(), "GALLERY_MEDIA__BACKEND": "local",
           "GALLERY_MEDIA__ROOT": str(tmp_path / "media")}  # fmt: skip
    first = gallery("--to", "s3", env=env)
    assert first.returncode == 0, first.stderr
    assert "copied 3/3 (" in first.stderr
    assert "done: 3 objects: copied 3 (" in first.stderr
    again = gallery("--to", "s3", env=env)
    assert "copied 0, skipped 3 already there, failed 0" in again.stderr.replace(" (0.0 MB)", "")
    back = gallery("--to", "local", "--root", str(tmp_path / "back"), env=env)
    assert back.returncode == 0, back.stderr
    assert await contents(LocalMediaStore(tmp_path / "back")) == await contents(bucket)
    missing = gallery("--to", "s3", env={**env, "GALLERY_MEDIA__S3_BUCKET": "no-such-bucket"})
    assert (missing.returncode, missing.stderr) == (
        1, f"error: bucket 'no-such-bucket' at {s3_server.endpoint}: NoSuchBucket\n"
    )  # fmt: skip
    same = gallery("--from", "s3", "--to", "s3", env=env)
    assert (same.returncode, same.stderr) == (
        2, "error: --from and --to are both s3: nothing to copy\n"
    )  # fmt: skip
