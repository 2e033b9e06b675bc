import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from storage.files import FileStore, MediaStore, photo_id_of, storage_key

HOUR = timedelta(hours=1)


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "media")


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
def test_paths_refuse_foreign_keys(store: FileStore, key: str) -> None:
    with pytest.raises(ValueError, match="not a media storage key"):
        store.path(key)


def test_write_is_atomic_and_leaves_no_temp_files(store: FileStore) -> None:
    key = store.storage_key(7, "full", "jpg")
    store.write_atomic(key, b"first")
    store.write_atomic(key, b"second")
    assert store.path(key).read_bytes() == b"second"
    assert store.exists(key)
    assert [p.name for p in store.path(key).parent.iterdir()] == ["full.jpg"]
    assert list(store.iter_keys()) == [key]


def test_a_failed_write_leaves_nothing_behind(store: FileStore) -> None:
    key = store.storage_key(7, "full", "jpg")
    with pytest.raises(TypeError):
        store.write_atomic(key, "not bytes")  # type: ignore[arg-type]
    assert not store.exists(key)
    assert list(store.path(key).parent.iterdir()) == []


def test_delete_removes_the_file_and_tolerates_a_missing_one(store: FileStore) -> None:
    key = store.storage_key(7, "thumb", "webp")
    store.write_atomic(key, b"x")
    store.delete(key)
    store.delete(key)
    assert not store.exists(key)


def test_sweep_removes_only_old_files_of_unknown_photos(store: FileStore) -> None:
    keys = {
        (photo_id, age): store.storage_key(photo_id, f"v{age}", "webp")
        for photo_id in (1, 2)
        for age in (0, 2)
    }
    for (_, age), key in keys.items():
        store.write_atomic(key, b"x")
        backdate(store.path(key), hours=age)
    stale_temp = store.path(keys[1, 0]).parent / ".tmp-abandoned"
    fresh_temp = store.path(keys[1, 0]).parent / ".tmp-uploading"
    stale_temp.write_bytes(b"x")
    fresh_temp.write_bytes(b"x")
    backdate(stale_temp, hours=2)

    removed = store.sweep_orphans(known_photo_ids={1}, older_than=HOUR)

    assert sorted(removed) == sorted([keys[2, 2], stale_temp.relative_to(store.root).as_posix()])
    assert sorted(store.iter_keys()) == sorted([keys[1, 0], keys[1, 2], keys[2, 0]])
    assert fresh_temp.exists()


def test_sweep_removes_emptied_directories_of_unknown_photos(store: FileStore) -> None:
    key = store.storage_key(3, "full", "png")
    store.write_atomic(key, b"x")
    backdate(store.path(key), hours=2)
    assert store.sweep_orphans(set(), HOUR) == [key]
    assert not store.path(key).parent.exists()


def test_sweep_of_an_empty_store_is_a_no_op(store: FileStore) -> None:
    assert store.sweep_orphans(set(), HOUR) == []


def test_file_store_is_a_media_store(store: FileStore) -> None:
    media_store: MediaStore = store
    assert media_store.exists(storage_key(1, "full", "jpg")) is False


def backdate(path: Path, hours: int) -> None:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))
