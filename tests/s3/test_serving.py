"""Photos uploaded through the API land in the bucket and come back through /media/, streamed
by the app or by a redirect to the store; signatures, content types and caching stay right."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from config.settings import Settings
from storage.media import MediaStore, storage_key
from tests.photos.conftest import jpeg, post_photo, stored_files
from tests.s3server import SeaweedServer
from tests.webapp.helpers import ApiClient, LoggedIn
from webapp.media_urls import EXPIRY_BUCKET_S, MediaSigner

pytestmark = pytest.mark.s3

VARIANTS = [("thumb", "image/webp"), ("preview", "image/webp"), ("full", "image/jpeg")]
REDIRECT = {"serve": "redirect"}


@pytest.fixture
async def photo(client: ApiClient, alice: LoggedIn) -> dict[str, Any]:
    status, body = await post_photo(client, alice, jpeg(), "In the bucket")
    assert status == 201, body
    return body


def photo_keys(body: dict[str, Any]) -> set[str]:
    photo_id = int(body["media"]["thumb"].split("/")[2])
    return {storage_key(photo_id, v, t.split("/")[1].replace("jpeg", "jpg")) for v, t in VARIANTS}


def max_age(cache_control: str) -> int:
    return int(cache_control.split("max-age=")[1].split(",")[0])


async def test_an_upload_lands_in_the_bucket_and_is_streamed_back(
    client: ApiClient, photo: dict[str, Any], store: MediaStore
) -> None:
    assert await stored_files(store) == photo_keys(photo)
    for variant, content_type in VARIANTS:
        media = await client.get(photo["media"][variant])
        body = await media.read()
        assert (media.status, media.headers["Content-Type"]) == (200, content_type)
        assert media.headers["Content-Length"] == str(len(body))
        cache = media.headers["Cache-Control"]
        assert cache.startswith("private, max-age=")
        assert cache.endswith(", immutable")
        assert 3600 <= max_age(cache) <= 3600 + 600
        [key] = [k for k in photo_keys(photo) if f"/{variant}." in k]
        assert body == await store.get(key)
        etag = media.headers["ETag"]
        again = await client.get(photo["media"][variant], headers={"If-None-Match": etag})
        assert (again.status, await again.read()) == (304, b"")
        head = await client.head(photo["media"][variant])
        assert (head.status, head.headers["Content-Length"]) == (200, str(len(body)))


@pytest.mark.parametrize("media_overrides", [REDIRECT])
async def test_redirect_mode_sends_the_browser_to_a_presigned_url_that_dies_first(
    client: ApiClient, photo: dict[str, Any], s3_server: SeaweedServer, store: MediaStore
) -> None:
    for variant, content_type in VARIANTS:
        url = photo["media"][variant]
        answer = await client.get(url, allow_redirects=False)
        assert answer.status == 307
        life = int(parse_qs(urlsplit(url).query)["exp"][0]) - int(time.time())
        assert max_age(answer.headers["Cache-Control"]) <= life - 30
        location = answer.headers["Location"]
        [key] = [k for k in photo_keys(photo) if f"/{variant}." in k]
        assert location.startswith(f"{s3_server.endpoint}/{s3_server.bucket}/{key}?")
        assert int(parse_qs(urlsplit(location).query)["X-Amz-Expires"][0]) <= life
        async with aiohttp.ClientSession() as http, http.get(location) as direct:
            assert (direct.status, direct.headers["Content-Type"]) == (200, content_type)
            assert direct.headers["Cache-Control"].endswith("immutable")
            assert await direct.read() == await store.get(key)


@pytest.mark.parametrize("media_overrides", [{}, REDIRECT], ids=["stream", "redirect"])
async def test_a_forged_or_expired_link_is_refused_before_the_store(
    client: ApiClient, photo: dict[str, Any], settings: Settings
) -> None:
    url = photo["media"]["preview"]
    photo_id = int(url.split("/")[2])
    forged = url[: -len("0000")] + ("1111" if url.endswith("0000") else "0000")
    long_ago = time.time() - settings.media.url_ttl_s - 2 * EXPIRY_BUCKET_S
    expired = MediaSigner.from_settings(settings).url(photo_id, "preview.webp", long_ago)
    for bad in (forged, expired, url.replace("preview.webp", "full.webp")):
        response = await client.get(bad, allow_redirects=False)
        assert response.status == 403
        assert (await response.json())["error"] == "forbidden"


async def test_a_signed_link_to_a_missing_object_is_404(
    client: ApiClient, photo: dict[str, Any], store: MediaStore
) -> None:
    await store.delete(photo_keys(photo))
    response = await client.get(photo["media"]["thumb"])
    assert (response.status, (await response.json())["error"]) == (404, "not_found")


async def test_deleting_the_object_removes_its_objects_from_the_bucket(
    client: ApiClient, photo: dict[str, Any], alice: LoggedIn, store: MediaStore
) -> None:
    deleted = await client.delete(f"/api/objects/{photo['id']}", headers=alice.headers)
    assert deleted.status == 204
    assert await stored_files(store) == set()
