"""The app's media in a directory or, marked s3, in a bucket of a real SeaweedFS; and where a
restore goes: a new scratch database on the same server, and a new directory or bucket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import unused_port

from config.settings import MediaSettings, Settings
from tests.dbserver import create_database, drop_database
from tests.s3server import SeaweedServer, seaweed


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    with seaweed(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def media_store_settings(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Any]:
    """A function giving the `media` settings of a new, empty store named `name`."""
    if backend == "local":
        yield lambda name: {"backend": "local", "root": tmp_path / name}
        return
    server: SeaweedServer = request.getfixturevalue("s3_server")

    def bucket(name: str) -> dict[str, Any]:
        fresh = f"{name}-{uuid.uuid4().hex[:8]}"
        server.create_bucket(fresh)
        return server.media_settings(s3_bucket=fresh)

    yield bucket


@pytest.fixture
def settings(settings: Settings, media_store_settings: Any) -> Settings:
    return settings.model_copy(update={"media": media(settings, media_store_settings("media"))})


def media(settings: Settings, changes: dict[str, Any]) -> MediaSettings:
    """The media section with `changes`, validated (secrets become SecretStr)."""
    return MediaSettings.model_validate({**settings.media.model_dump(), **changes})


@dataclass(frozen=True)
class Target:
    settings: Settings
    database_url: str


@pytest.fixture
def target(postgres_url: str, settings: Settings, media_store_settings: Any) -> Iterator[Target]:
    """The same app's settings pointing at a new database and a new store, on a port of its own."""
    url = create_database(postgres_url, prefix="gallery_restored")
    port = unused_port()
    server = settings.server.model_copy(
        update={"port": port, "public_url": f"http://127.0.0.1:{port}"}
    )
    restored = settings.model_copy(update={
        "server": server,
        "database": settings.database.model_copy(update={"url": url}),
        "media": media(settings, media_store_settings("restored")),
    })  # fmt: skip
    try:
        yield Target(restored, url)
    finally:
        drop_database(url)
