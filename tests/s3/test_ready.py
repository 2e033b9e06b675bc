"""/ready reports the media store: ok, or 503 with a short reason that names no endpoint,
bucket or key."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient

from config.settings import Settings
from server.app import create_app
from server.health import MEDIA_CHECK_CACHE_S
from tests.s3.conftest import s3_media
from tests.s3server import SeaweedServer, start_server
from tests.webapp.helpers import ApiClient

pytestmark = pytest.mark.s3

READY = {"status": "ready", "checks": {"database": True, "migrations": True, "media": True}}


def unavailable(reason: str) -> dict[str, Any]:
    checks = {"database": True, "migrations": True, "media": False}
    return {"status": "unavailable", "checks": checks, "errors": {"media": reason}}


async def ready(client: ApiClient) -> tuple[int, dict[str, Any]]:
    response = await client.get("/ready")
    return response.status, await response.json()


async def app_with(
    aiohttp_client: AiohttpClient, settings: Settings, app_port: int, **media: Any
) -> ApiClient:
    changed = settings.model_copy(update={"media": settings.media.model_copy(update=media)})
    return await aiohttp_client(create_app(changed), server_kwargs={"port": app_port})


async def test_ready_with_the_bucket_there(client: ApiClient) -> None:
    assert await ready(client) == (200, READY)


@pytest.mark.parametrize(
    ("media_overrides", "reason"),
    [
        ({"s3_bucket": "no-such-bucket"}, "s3: NoSuchBucket"),
        ({"s3_secret_access_key": "wrong-secret"}, "s3: SignatureDoesNotMatch"),
        ({"s3_access_key_id": "nobody"}, "s3: InvalidAccessKeyId"),
        ({"s3_endpoint": "http://127.0.0.1:9"}, "s3: unreachable"),
    ],
    ids=["missing-bucket", "wrong-secret", "unknown-key", "wrong-endpoint"],
)
async def test_not_ready_when_the_store_refuses_or_is_not_there(
    client: ApiClient, reason: str
) -> None:
    status, body = await ready(client)
    assert (status, body) == (503, unavailable(reason))


async def test_not_ready_once_the_store_stops(
    aiohttp_client: AiohttpClient, settings: Settings, app_port: int, tmp_path: Path
) -> None:
    own = await asyncio.to_thread(start_server, tmp_path / "s3")
    try:
        client = await aiohttp_client(
            create_app(settings.model_copy(update={"media": s3_media(own)})),
            server_kwargs={"port": app_port},
        )
        assert await ready(client) == (200, READY)
        await asyncio.to_thread(own.stop)
        await asyncio.sleep(MEDIA_CHECK_CACHE_S)
        assert await ready(client) == (503, unavailable("s3: unreachable"))
    finally:
        own.stop()


async def test_not_ready_when_the_media_directory_cannot_be_made(
    aiohttp_client: AiohttpClient, settings: Settings, app_port: int, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_bytes(b"")
    client = await app_with(
        aiohttp_client, settings, app_port, backend="local", root=tmp_path / "a-file" / "media"
    )
    assert await ready(client) == (503, unavailable("local: cannot create the directory"))


def test_the_test_server_is_what_the_other_tests_use(s3_server: SeaweedServer) -> None:
    assert s3_server.process.poll() is None
