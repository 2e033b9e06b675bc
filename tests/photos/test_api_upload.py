"""POST /api/photos over real HTTP: the whole way from bytes to a served, signed image."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from io import BytesIO
from typing import Any

import asyncpg
import pytest
from aiohttp import ClientResponse
from PIL import Image

from storage.media import MediaStore
from tests.media.images import camera_exif, encode, red_left_blue_right, solid_png_header
from tests.photos.conftest import jpeg, post_photo, stored_files
from tests.photos.test_create import SVG, counts, renamed_text, truncated_jpeg
from tests.webapp.conftest import ApiDocument
from tests.webapp.helpers import ApiClient, LoggedIn


async def test_an_upload_appears_in_the_gallery_with_signed_media(
    client: ApiClient, alice: LoggedIn, api_doc: ApiDocument
) -> None:
    status, body = await post_photo(client, alice, jpeg(), "Boat at sunset", "Calm evening")
    assert status == 201, body
    api_doc.check("POST", "/api/photos", 201, body)
    assert body["title"] == "Boat at sunset"
    assert body["owner"] == {"id": alice.user_id, "name": "Alice", "avatar": None}
    assert body["photo"] | {"placeholder": ""} == {
        "width": 400, "height": 300, "format": "jpeg",
        "byte_size": len(jpeg()), "taken_at": None, "placeholder": "",
    }  # fmt: skip
    assert body["photo"]["placeholder"]
    assert [entry["reason"] for entry in body["history"]] == ["created"]
    assert body["history"][0]["from"] is None
    assert (body["favorite_count"], body["favorited"]) == (0, False)

    gallery = await client.get("/api/objects")
    page = await gallery.json()
    api_doc.check("GET", "/api/objects", 200, page)
    assert [item["id"] for item in page["items"]] == [body["id"]]
    assert page["next_cursor"] is None
    assert page["items"][0]["media"]["thumb"] == body["media"]["thumb"]

    for variant, content_type in [("thumb", "image/webp"), ("preview", "image/webp"),
                                  ("full", "image/jpeg")]:  # fmt: skip
        media = await client.get(body["media"][variant])
        assert media.status == 200
        assert media.headers["Content-Type"] == content_type
        assert media.headers["Cache-Control"].startswith("private, max-age=")
        assert media.headers["Cache-Control"].endswith(", immutable")
        max_age = int(media.headers["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert 3600 <= max_age <= 3600 + 600
        etag = media.headers["ETag"]
        with Image.open(BytesIO(await media.read())) as image:
            assert image.format == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[content_type]
        again = await client.get(body["media"][variant], headers={"If-None-Match": etag})
        assert again.status == 304


async def test_served_variants_are_upright_and_carry_no_exif_or_gps(
    client: ApiClient, alice: LoggedIn
) -> None:
    exif = camera_exif(orientation=6)
    status, body = await post_photo(
        client, alice, encode(red_left_blue_right((80, 40)), "JPEG", exif=exif)
    )
    assert status == 201, body
    assert (body["photo"]["width"], body["photo"]["height"]) == (40, 80)
    assert body["photo"]["taken_at"] == "2024-05-06T07:08:09Z"
    for variant in ("thumb", "preview", "full"):
        media = await client.get(body["media"][variant])
        raw = await media.read()
        assert b"Exif" not in raw
        assert b"TestCam" not in raw
        with Image.open(BytesIO(raw)) as image:
            assert image.height > image.width
            assert not image.getexif()
            top = image.convert("RGB").getpixel((image.width // 2, 2))
            assert isinstance(top, tuple)
            assert top[0] > 150  # the red half is on top now


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (SVG, "unsupported_type"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "unsupported_type"),
        (renamed_text(), "unsupported_type"),
        (truncated_jpeg(), "truncated"),
        (solid_png_header(20_000, 20_000), "decompression_bomb"),
    ],
    ids=["svg", "html", "renamed-text", "truncated-jpeg", "bomb"],
)
async def test_bad_files_get_400_with_the_reason(
    client: ApiClient,
    alice: LoggedIn,
    db: asyncpg.Connection,
    store: MediaStore,
    data: bytes,
    code: str,
) -> None:
    status, body = await post_photo(client, alice, data)
    assert (status, body["error"]) == (400, code)
    assert body["detail"]
    assert await counts(db) == (0, 0, 0)
    assert await stored_files(store) == set()


def multipart(data: bytes, boundary: str = "photo-boundary") -> bytes:
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBig\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )


@pytest.mark.parametrize("media_overrides", [{"max_bytes": 100_000}])
async def test_an_oversized_stream_is_refused_413_while_reading(
    client: ApiClient, alice: LoggedIn, db: asyncpg.Connection, store: MediaStore
) -> None:
    body = multipart(jpeg() + b"\0" * 400_000)
    sent = 0

    async def chunked() -> AsyncIterator[bytes]:
        # no Content-Length: only counting while reading can catch this one
        nonlocal sent
        for start in range(0, len(body), 16_384):
            sent += 16_384
            yield body[start : start + 16_384]

    response = await client.post(
        "/api/photos",
        data=chunked(),
        headers={**alice.headers, "Content-Type": "multipart/form-data; boundary=photo-boundary"},
    )
    assert response.status == 413
    assert await response.json() == {
        "error": "too_large",
        "detail": "The file is larger than 0.1 MB.",
    }
    assert await counts(db) == (0, 0, 0)
    assert await stored_files(store) == set()


@pytest.mark.parametrize("media_overrides", [{"max_bytes": 100_000}])
async def test_a_declared_oversized_body_is_refused_before_reading(
    client: ApiClient, alice: LoggedIn, db: asyncpg.Connection
) -> None:
    status, body = await post_photo(client, alice, b"\xff\xd8" + b"\0" * 300_000)
    assert (status, body["error"]) == (413, "too_large")
    assert await counts(db) == (0, 0, 0)


async def test_an_exact_duplicate_by_another_person_is_409(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn
) -> None:
    data = jpeg()
    assert (await post_photo(client, alice, data, "Закаты над морем"))[0] == 201
    status, body = await post_photo(client, bob, data, "Моё")
    assert (status, body) == (
        409,
        {"error": "duplicate", "detail": "already in the gallery as «Закаты над морем»"},
    )


async def test_a_recompressed_copy_is_a_near_duplicate_409(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn
) -> None:
    assert (await post_photo(client, alice, jpeg(quality=92), "Original"))[0] == 201
    status, body = await post_photo(client, bob, jpeg(quality=60))
    assert (status, body) == (
        409,
        {
            "error": "near_duplicate",
            "detail": "a very similar photo is already in the gallery as «Original»",
        },
    )


@pytest.mark.parametrize("media_overrides", [{"allow_near_duplicates": True}])
async def test_near_duplicates_pass_when_allowed(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn
) -> None:
    assert (await post_photo(client, alice, jpeg(quality=92), "Original"))[0] == 201
    status, body = await post_photo(client, bob, jpeg(quality=60), "Copy")
    assert (status, body["title"], body["owner"]["id"]) == (201, "Copy", bob.user_id)


async def test_eight_identical_uploads_at_once_make_one_object(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn, db: asyncpg.Connection, store: MediaStore
) -> None:
    data = jpeg()
    people = [alice, bob] * 4
    results: list[tuple[int, dict[str, Any]]] = await asyncio.gather(
        *(post_photo(client, who, data, f"Race {n}") for n, who in enumerate(people))
    )
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * 7
    winner = next(body for status, body in results if status == 201)
    refusals = [body for status, body in results if status == 409]
    assert all(
        body == {"error": "duplicate", "detail": f"already in the gallery as «{winner['title']}»"}
        for body in refusals
    )
    assert await counts(db) == (1, 1, 1)
    assert len(await stored_files(store)) == 3


async def test_upload_needs_a_login_and_a_form(client: ApiClient, alice: LoggedIn) -> None:
    anonymous = await client.post("/api/photos", data=b"x")
    assert (anonymous.status, (await anonymous.json())["error"]) == (401, "unauthorized")
    as_json = await client.post("/api/photos", json={"file": "x"}, headers=alice.headers)
    assert (as_json.status, (await as_json.json())["error"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"x"),  # no boundary
        ("multipart/form-data; boundary=abc", b"garbage"),  # no starting boundary
        (
            "multipart/form-data; boundary=abc",
            b'--abc\r\nContent-Disposition: form-data; name="file"\r\n\r\nxx',
        ),  # cut short
        ("multipart/form-data; boundary=abc", b"--abc\r\n6.1e-05--abc--\r\n"),  # no header
    ],
)
async def test_a_malformed_form_is_400_not_500(
    client: ApiClient, alice: LoggedIn, content_type: str, body: bytes
) -> None:
    """Found by schemathesis: aiohttp raises ValueError or InvalidHeader for these."""
    headers = {**alice.headers, "Content-Type": content_type}
    response = await client.post("/api/photos", data=body, headers=headers)
    assert (response.status, (await response.json())["error"]) == (400, "bad_form")


async def post_trickled(
    client: ApiClient, who: LoggedIn, *, first: int, pause_s: float, then: int = 0
) -> ClientResponse:
    """A photo form whose first `first` bytes come at once, then `then` bytes at a time (the
    rest if 0) with `pause_s` before each."""
    body = multipart(jpeg())

    async def chunks() -> AsyncIterator[bytes]:
        yield body[:first]
        for start in range(first, len(body), then or len(body)):
            await asyncio.sleep(pause_s)
            yield body[start : start + (then or len(body))]

    form = {"Content-Type": "multipart/form-data; boundary=photo-boundary"}
    return await client.post("/api/photos", data=chunks(), headers={**who.headers, **form})


@pytest.mark.parametrize("media_overrides", [{"upload_idle_s": 0.3}])
async def test_an_upload_that_stops_arriving_is_refused_408(
    client: ApiClient, alice: LoggedIn, db: asyncpg.Connection, store: MediaStore
) -> None:
    for first in (0, 10, len(jpeg()) // 2):  # before the first part, in its headers, in the file
        started = asyncio.get_running_loop().time()
        response = await post_trickled(client, alice, first=first, pause_s=5.0)
        assert response.status == 408, first
        assert (await response.json())["error"] == "upload_timeout"
        assert asyncio.get_running_loop().time() - started < 4.0  # not after the stall ends
    assert await counts(db) == (0, 0, 0)
    assert await stored_files(store) == set()


# the idle limit well over any pause here: only the overall deadline can refuse this one
@pytest.mark.parametrize("media_overrides", [{"upload_idle_s": 5.0, "upload_deadline_s": 1.0}])
async def test_an_upload_that_never_stops_but_takes_too_long_is_refused_408(
    client: ApiClient, alice: LoggedIn, db: asyncpg.Connection
) -> None:
    # 100 bytes every 0.1 s: never idle long, never done in time
    response = await post_trickled(client, alice, first=100, pause_s=0.1, then=100)
    assert response.status == 408
    assert await response.json() == {
        "error": "upload_timeout",
        "detail": "The photo arrived too slowly (nothing for 5 s, or not all of it within "
        "1 s); try again on a better connection.",
    }
    assert await counts(db) == (0, 0, 0)


@pytest.mark.parametrize("media_overrides", [{"upload_idle_s": 2.0, "upload_deadline_s": 20.0}])
async def test_a_slow_upload_within_its_pace_is_stored(
    client: ApiClient, alice: LoggedIn, db: asyncpg.Connection
) -> None:
    response = await post_trickled(client, alice, first=100, pause_s=0.2, then=len(jpeg()) // 5)
    assert response.status == 201, await response.text()
    assert (await counts(db))[0] == 1
