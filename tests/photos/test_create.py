"""create_photo_object: what the bot and the API both call."""

from __future__ import annotations

import asyncio
from io import BytesIO

import asyncpg
import pytest
from PIL import Image

from storage.errors import Conflict, DomainError
from storage.media import MediaStore, storage_key
from tests.media.images import camera_exif, encode, red_left_blue_right, solid_png_header
from tests.photos.conftest import ALICE, BOB, Uploader, jpeg, local_path, stored_files

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'


async def counts(db: asyncpg.Connection) -> tuple[int, int, int]:
    row = await db.fetchrow(
        """SELECT (SELECT count(*) FROM photos), (SELECT count(*) FROM art_objects),
                  (SELECT count(*) FROM ownership_history)"""
    )
    assert row is not None
    return row[0], row[1], row[2]


async def test_a_photo_becomes_an_object_with_files_and_history(
    upload: Uploader, db: asyncpg.Connection, store: MediaStore
) -> None:
    created = await upload(jpeg(), title="  Boat   at sunset ", description="Calm sea")

    assert created.object.title == "Boat at sunset"
    assert created.object.description == "Calm sea"
    assert (created.object.creator_id, created.object.owner_id) == (ALICE, ALICE)
    keys = {created.photo.original_key, created.photo.preview_key, created.photo.thumb_key}
    assert await stored_files(store) == keys
    assert created.photo.original_key.endswith(f"/{created.photo.id}/full.jpg")
    assert created.photo.preview_key.endswith(f"/{created.photo.id}/preview.webp")
    history = await db.fetch("SELECT from_user_id, to_user_id, reason FROM ownership_history")
    assert [tuple(row) for row in history] == [(None, ALICE, "created")]


async def test_the_default_title_is_the_day_in_the_uploaders_language(upload: Uploader) -> None:
    english = await upload(jpeg(1), uploader=ALICE, title=None)
    russian = await upload(jpeg(2), uploader=BOB, title="   ")
    day = english.object.created_at
    assert english.object.title == f"Photo {day.day} {day:%b} {day.year}"
    assert russian.object.title.startswith("Фото ")


async def test_an_exact_duplicate_by_anyone_is_refused_by_title(
    upload: Uploader, db: asyncpg.Connection, store: MediaStore
) -> None:
    data = jpeg()
    await upload(data, uploader=ALICE, title="Закаты над морем")
    files = await stored_files(store)
    with pytest.raises(Conflict) as caught:
        await upload(data, uploader=BOB, title="Mine now")
    assert (caught.value.code, caught.value.detail) == (
        "duplicate",
        "already in the gallery as «Закаты над морем»",
    )
    assert await counts(db) == (1, 1, 1)
    assert await stored_files(store) == files


async def test_a_recompressed_copy_is_a_near_duplicate(upload: Uploader) -> None:
    await upload(jpeg(quality=92), title="Original")
    with pytest.raises(Conflict) as caught:
        await upload(jpeg(quality=60), uploader=BOB)
    assert caught.value.code == "near_duplicate"
    assert caught.value.detail == "a very similar photo is already in the gallery as «Original»"


async def test_a_different_photo_is_not_a_near_duplicate(upload: Uploader) -> None:
    await upload(jpeg(1))
    await upload(jpeg(7))


@pytest.mark.parametrize("media_overrides", [{"allow_near_duplicates": True}])
async def test_near_duplicates_are_accepted_when_the_setting_allows(upload: Uploader) -> None:
    await upload(jpeg(quality=92), title="Original")
    created = await upload(jpeg(quality=60), uploader=BOB, title="Copy")
    assert created.object.owner_id == BOB


def truncated_jpeg() -> bytes:
    data = jpeg()
    return data[: len(data) // 2]


def renamed_text() -> bytes:
    return b"Dear diary, today I renamed this file to photo.jpg"


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        (SVG, "unsupported_type", 400),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "unsupported_type", 400),
        (renamed_text(), "unsupported_type", 400),
        (truncated_jpeg(), "truncated", 400),
        (solid_png_header(20_000, 20_000), "decompression_bomb", 400),
    ],
    ids=["svg", "html", "renamed-text", "truncated-jpeg", "bomb"],
)
async def test_bad_files_are_refused_and_leave_nothing(
    upload: Uploader,
    db: asyncpg.Connection,
    store: MediaStore,
    data: bytes,
    code: str,
    status: int,
) -> None:
    with pytest.raises(DomainError) as caught:
        await upload(data)
    assert (caught.value.code, caught.value.status) == (code, status)
    assert caught.value.detail
    assert await counts(db) == (0, 0, 0)
    assert await stored_files(store) == set()


@pytest.mark.parametrize("media_overrides", [{"max_bytes": 2048}])
async def test_too_many_bytes_is_413(upload: Uploader) -> None:
    with pytest.raises(DomainError) as caught:
        await upload(jpeg())
    assert (caught.value.code, caught.value.status) == ("too_large", 413)


async def test_a_failed_file_write_leaves_no_row_and_no_file(
    upload: Uploader, db: asyncpg.Connection, store: MediaStore
) -> None:
    # the third file's place is taken by a directory, so its rename fails after two writes
    next_id = await db.fetchval(
        "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM photos_id_seq"
    )
    blocker = local_path(store, storage_key(next_id, "thumb", "webp"))
    blocker.mkdir(parents=True)
    with pytest.raises(IsADirectoryError):
        await upload(jpeg())
    assert await counts(db) == (0, 0, 0)
    blocker.rmdir()
    assert await stored_files(store) == set()


async def test_identical_uploads_racing_make_one_object(
    upload: Uploader, db: asyncpg.Connection, store: MediaStore
) -> None:
    data = jpeg()
    results = await asyncio.gather(
        *(upload(data, title=f"Race {n}") for n in range(8)), return_exceptions=True
    )
    created = [result for result in results if not isinstance(result, BaseException)]
    refused = [result for result in results if isinstance(result, Conflict)]
    assert (len(created), len(refused)) == (1, 7)
    assert {error.detail for error in refused} == {
        f"already in the gallery as «{created[0].object.title}»"
    }
    assert await counts(db) == (1, 1, 1)
    assert len(await stored_files(store)) == 3


async def test_orientation_is_applied_and_no_metadata_is_stored(
    upload: Uploader, store: MediaStore
) -> None:
    data = encode(red_left_blue_right((80, 40)), "JPEG", exif=camera_exif(orientation=6))
    created = await upload(data)
    assert (created.photo.width, created.photo.height) == (40, 80)
    for key in (created.photo.original_key, created.photo.preview_key, created.photo.thumb_key):
        with Image.open(BytesIO(await store.get(key))) as image:
            assert image.height > image.width
            assert not image.getexif()
            assert "exif" not in image.info
            assert "xmp" not in image.info
