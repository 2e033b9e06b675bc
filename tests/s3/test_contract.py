"""What every media store promises, held by both backends: a directory and a real bucket."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from storage.media import (
    LocalMediaStore,
    MediaNotFound,
    MediaStore,
    S3MediaStore,
    StoredObject,
    storage_key,
)
from tests.s3.conftest import empty, s3_media
from tests.s3server import SeaweedServer

pytestmark = pytest.mark.s3

HOUR = timedelta(hours=1)
DATA = b"\x89PNG not really" * 1000


@pytest.fixture(params=["local", "s3"])
async def any_store(
    request: pytest.FixtureRequest, tmp_path: Path, s3_server: SeaweedServer
) -> MediaStore:
    if request.param == "local":
        return LocalMediaStore(tmp_path / "media")
    store = S3MediaStore.from_settings(s3_media(s3_server))
    await empty(store)
    return store


async def keys_of(store: MediaStore, prefix: str = "") -> list[str]:
    return sorted([listed.key async for listed in store.list_objects(prefix)])


async def test_put_get_head_and_checksum(any_store: MediaStore) -> None:
    key = storage_key(7, "full", "png")
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    await any_store.put(key, DATA, "image/png")
    assert await any_store.get(key) == DATA
    head = await any_store.head(key)
    assert head is not None
    assert (head.key, head.size) == (key, len(DATA))
    assert before <= head.last_modified <= datetime.now(UTC)
    assert await any_store.checksum(key) == hashlib.sha256(DATA).hexdigest()


async def test_a_put_replaces_the_whole_object(any_store: MediaStore) -> None:
    key = storage_key(7, "thumb", "webp")
    await any_store.put(key, b"first", "image/webp")
    await any_store.put(key, b"second", "image/webp")
    assert await any_store.get(key) == b"second"
    assert await keys_of(any_store) == [key]


async def test_a_missing_object_is_not_found_everywhere(any_store: MediaStore) -> None:
    key = storage_key(8, "full", "jpg")
    with pytest.raises(MediaNotFound):
        await any_store.get(key)
    with pytest.raises(MediaNotFound):
        await any_store.open(key)
    assert await any_store.head(key) is None
    assert await any_store.checksum(key) is None


async def test_open_streams_the_whole_object(any_store: MediaStore) -> None:
    key = storage_key(9, "preview", "webp")
    await any_store.put(key, DATA, "image/webp")
    media = await any_store.open(key)
    assert media.size == len(DATA)
    assert b"".join([bytes(chunk) async for chunk in media.chunks]) == DATA


async def test_list_by_prefix_and_delete_what_is_gone_too(any_store: MediaStore) -> None:
    keys = [storage_key(photo_id, "thumb", "webp") for photo_id in range(1, 6)]
    for key in keys:
        await any_store.put(key, b"x", "image/webp")
    assert await keys_of(any_store) == sorted(keys)
    shard = keys[0].rpartition("/")[0] + "/"
    assert await keys_of(any_store, shard) == [keys[0]]
    await any_store.delete([keys[0], keys[1], storage_key(99, "full", "jpg")])
    await any_store.delete([])
    assert await keys_of(any_store) == sorted(keys[2:])
    listed = [listed async for listed in any_store.list_objects()]
    assert all(isinstance(item, StoredObject) and item.size == 1 for item in listed)


async def test_the_sweep_honours_the_grace_and_the_known_photos(any_store: MediaStore) -> None:
    known, unknown = storage_key(1, "full", "jpg"), storage_key(2, "full", "jpg")
    for key in (known, unknown):
        await any_store.put(key, b"x", "image/jpeg")
    assert await any_store.sweep_orphans({1}, older_than=HOUR) == []  # maybe still uploading
    assert await any_store.sweep_orphans({1, 2}, older_than=timedelta(0)) == []
    assert await any_store.sweep_orphans({1}, older_than=timedelta(0)) == [unknown]
    assert await keys_of(any_store) == [known]


async def test_check_passes_on_a_working_store(any_store: MediaStore) -> None:
    await any_store.check()


async def test_serving_hooks(any_store: MediaStore) -> None:
    key = storage_key(5, "preview", "webp")
    await any_store.put(key, DATA, "image/webp")
    url = await any_store.presigned_url(key, timedelta(seconds=60))
    path = any_store.local_path(key)
    if any_store.backend == "local":
        assert (url, path is not None and path.read_bytes() == DATA) == (None, True)
        return
    assert path is None
    assert url is not None
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/webp"
        assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
        assert await response.read() == DATA
