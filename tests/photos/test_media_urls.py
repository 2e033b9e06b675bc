"""Signed media URLs: any change to photo, file, expiry or signature, or age, is a 403."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from config.settings import Settings
from server.jobs import sweep_media
from storage.media import MediaStore, storage_key
from tests.photos.conftest import jpeg, local_path, post_photo, stored_files
from tests.webapp.helpers import ApiClient, LoggedIn
from webapp.media_urls import EXPIRY_BUCKET_S, MediaSigner

FORBIDDEN = {"error": "forbidden", "detail": "this media link is invalid or has expired"}


@pytest.fixture
async def photo(client: ApiClient, alice: LoggedIn) -> dict[str, Any]:
    status, body = await post_photo(client, alice, jpeg(), "Signed")
    assert status == 201, body
    return body


async def assert_forbidden(client: ApiClient, url: str) -> None:
    response = await client.get(url)
    assert (response.status, await response.json()) == (403, FORBIDDEN)


def parts(url: str) -> tuple[str, str, str]:
    path, query = url.split("?")
    exp, sig = (pair.split("=")[1] for pair in query.split("&"))
    return path, exp, sig


async def test_a_changed_signature_photo_or_expiry_is_refused(
    client: ApiClient, photo: dict[str, Any], settings: Settings
) -> None:
    url = photo["media"]["thumb"]
    assert (await client.get(url)).status == 200
    path, exp, sig = parts(url)
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    await assert_forbidden(client, f"{path}?exp={exp}&sig={flipped}")
    photo_id = int(path.split("/")[2])
    await assert_forbidden(client, f"/media/{photo_id + 1}/thumb.webp?exp={exp}&sig={sig}")
    await assert_forbidden(client, f"/media/{photo_id}/preview.webp?exp={exp}&sig={sig}")
    await assert_forbidden(client, f"{path}?exp={int(exp) + EXPIRY_BUCKET_S}&sig={sig}")
    await assert_forbidden(client, f"{path}?exp={exp}")
    await assert_forbidden(client, f"{path}?exp=soon&sig={sig}")
    signer = MediaSigner.from_settings(settings)
    assert url == signer.url(photo_id, "thumb.webp", time.time())


async def test_an_expired_link_is_refused(
    client: ApiClient, photo: dict[str, Any], settings: Settings
) -> None:
    photo_id = int(photo["media"]["thumb"].split("/")[2])
    signer = MediaSigner.from_settings(settings)
    long_ago = time.time() - settings.media.url_ttl_s - 2 * EXPIRY_BUCKET_S
    await assert_forbidden(client, signer.url(photo_id, "thumb.webp", long_ago))


def test_urls_are_stable_within_a_bucket(settings: Settings) -> None:
    start = 1_800_000_000 - 1_800_000_000 % EXPIRY_BUCKET_S + 1
    signer = MediaSigner.from_settings(settings)
    first = signer.url(5, "thumb.webp", start)
    assert first == signer.url(5, "thumb.webp", start + EXPIRY_BUCKET_S - 2)
    assert first != signer.url(5, "thumb.webp", start + EXPIRY_BUCKET_S)
    exp = int(parts(first)[1])
    assert exp % EXPIRY_BUCKET_S == 0
    assert settings.media.url_ttl_s <= exp - start < settings.media.url_ttl_s + EXPIRY_BUCKET_S


async def test_the_sweep_removes_stray_files_and_keeps_known_ones(
    client: ApiClient, photo: dict[str, Any], store: MediaStore
) -> None:
    known = await stored_files(store)
    stray = storage_key(424242, "thumb", "webp")
    await store.put(stray, b"left behind by a crash", "image/webp")
    assert await sweep_media(client.app) == []  # within the grace period: maybe still uploading
    two_hours_ago = time.time() - 7200
    for key in [stray, *known]:
        os.utime(local_path(store, key), (two_hours_ago, two_hours_ago))
    assert await sweep_media(client.app) == [stray]
    assert await stored_files(store) == known
    assert (await client.get(photo["media"]["preview"])).status == 200
