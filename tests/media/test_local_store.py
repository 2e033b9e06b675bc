"""The directory backend's own promises; every backend's are in tests/s3/test_contract.py."""

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from storage.media import LocalMediaStore, MediaStore, MediaUnavailable, photo_id_of, storage_key

HOUR = timedelta(hours=1)


@pytest.fixture
def store(tmp_path: Path) -> LocalMediaStore:
    return LocalMediaStore(tmp_path / "media")


def test_keys_are_computed_from_ids_and_sharded() -> None:
    key = storage_key(42, "preview", "webp")
    assert key.endswith("/42/preview.webp")
    assert key == storage_key(42, "preview", "webp")
    assert photo_id_of(key) == 42
    assert len({storage_key(i, "full", "jpg")[:5] for i in range(1, 200)}) > 100


@pytest.mark.parametrize(
    ("photo_id", "variant", "ext"),
    [
        (0, "full", "jpg"),
        (-1, "full", "jpg"),
        (1, "../x", "jpg"),
        (1, "full", "jpg/.."),
        (1, "", "x"),
    ],
)
def test_keys_refuse_what_could_escape_the_root(photo_id: int, variant: str, ext: str) -> None:
    with pytest.raises(ValueError, match="no storage key"):
        storage_key(photo_id, variant, ext)


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/ab/1/full.jpg", "ab/cd/1/../../x.jpg", ""])
def test_paths_refuse_foreign_keys(store: LocalMediaStore, key: str) -> None:
    with pytest.raises(ValueError, match="not a media storage key"):
        store.local_path(key)


async def test_write_is_atomic_and_leaves_no_temp_files(store: LocalMediaStore) -> None:
    key = storage_key(7, "full", "jpg")
    await store.put(key, b"first", "image/jpeg")
    await store.put(key, b"second", "image/jpeg")
    assert store.local_path(key).read_bytes() == b"second"
    assert [p.name for p in store.local_path(key).parent.iterdir()] == ["full.jpg"]
    assert [listed.key async for listed in store.list_objects()] == [key]


async def test_a_failed_write_leaves_nothing_behind(store: LocalMediaStore) -> None:
    key = storage_key(7, "full", "jpg")
    with pytest.raises(TypeError):
        await store.put(key, "not bytes", "image/jpeg")  # type: ignore[arg-type]
    assert await store.head(key) is None
    assert list(store.local_path(key).parent.iterdir()) == []


async def test_sweep_removes_only_old_files_of_unknown_photos_and_stale_temp_files(
    store: LocalMediaStore,
) -> None:
    keys = {
        (photo_id, age): storage_key(photo_id, f"v{age}", "webp")
        for photo_id in (1, 2)
        for age in (0, 2)
    }
    for (_, age), key in keys.items():
        await store.put(key, b"x", "image/webp")
        backdate(store.local_path(key), hours=age)
    stale_temp = store.local_path(keys[1, 0]).parent / ".tmp-abandoned"
    fresh_temp = store.local_path(keys[1, 0]).parent / ".tmp-uploading"
    stale_temp.write_bytes(b"x")
    fresh_temp.write_bytes(b"x")
    backdate(stale_temp, hours=2)

    removed = await store.sweep_orphans(known_photo_ids={1}, older_than=HOUR)

    assert sorted(removed) == sorted([keys[2, 2], stale_temp.relative_to(store.root).as_posix()])
    listed = [listed.key async for listed in store.list_objects()]
    assert sorted(listed) == sorted([keys[1, 0], keys[1, 2], keys[2, 0]])
    assert fresh_temp.exists()


async def test_sweep_removes_emptied_directories_of_unknown_photos(
    store: LocalMediaStore,
) -> None:
    key = storage_key(3, "full", "png")
    await store.put(key, b"x", "image/png")
    backdate(store.local_path(key), hours=2)
    assert await store.sweep_orphans(set(), HOUR) == [key]
    assert not store.local_path(key).parent.exists()


async def test_sweep_and_list_of_a_store_not_yet_created(store: LocalMediaStore) -> None:
    assert await store.sweep_orphans(set(), HOUR) == []
    assert [listed async for listed in store.list_objects()] == []


async def test_check_creates_the_directory_and_names_an_unusable_one(tmp_path: Path) -> None:
    await LocalMediaStore(tmp_path / "media").check()
    assert (tmp_path / "media").is_dir()
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(MediaUnavailable, match="cannot create"):
        await LocalMediaStore(tmp_path / "file" / "media").check()


def test_the_local_store_is_a_media_store(store: LocalMediaStore) -> None:
    media_store: MediaStore = store
    assert media_store.local_path(storage_key(1, "full", "jpg")) is not None


def backdate(path: Path, hours: int) -> None:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))
