"""A real SeaweedFS for the run, an empty bucket for each test, and the app pointed at it.

Every module here is marked `s3` (pytestmark). The photos fixtures (upload, alice, bob, pool,
...) are the ones tests/photos uses; only the store underneath changes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from config.settings import MediaSettings, Settings
from storage.media import MediaStore, S3MediaStore, open_media_store
from tests.photos.conftest import (  # noqa: F401  fixtures, shared with tests/photos
    alice,
    bob,
    people,
    pool,
    pools,
    upload,
)
from tests.s3server import SeaweedServer, seaweed


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedServer]:
    """One SeaweedFS for the run, in a directory of its own (see postgres_url for why)."""
    with tempfile.TemporaryDirectory(prefix="gallery-s3-") as data_dir, seaweed(
        Path(data_dir)
    ) as server:
        yield server


def s3_media(server: SeaweedServer, **overrides: Any) -> MediaSettings:
    return MediaSettings.model_validate(server.media_settings(**overrides))


async def empty(store: MediaStore) -> None:
    await store.delete([listed.key async for listed in store.list_objects()])


@pytest.fixture
def media_overrides() -> dict[str, Any]:
    """Parametrize this to change media settings (serve = "redirect", say) for one test."""
    return {}


@pytest.fixture
async def settings(
    settings: Settings, s3_server: SeaweedServer, media_overrides: dict[str, Any]
) -> Settings:
    """The app with its media in the bucket, emptied before the test."""
    await empty(S3MediaStore.from_settings(s3_media(s3_server)))
    return settings.model_copy(update={"media": s3_media(s3_server, **media_overrides)})


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    return open_media_store(settings.media)
