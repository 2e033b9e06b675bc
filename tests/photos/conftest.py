from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from config.settings import Settings
from gallery.photos.intake import CreatedObject, create_photo_object
from gallery.photos.pools import ImagePools
from sandbox.runner import RunningSandbox
from storage.media import LocalMediaStore, MediaStore, open_media_store
from storage.users import upsert_user
from tests.media.images import encode, photo
from tests.webapp.conftest import ApiDocument
from tests.webapp.helpers import ApiClient, LoggedIn, login

ALICE, BOB, CAROL = 1001, 1002, 1003


@pytest.fixture
def media_overrides() -> dict[str, Any]:
    """Parametrize this to change media settings for one test."""
    return {}


@pytest.fixture
def settings(settings: Settings, media_overrides: dict[str, Any]) -> Settings:
    media = settings.media.model_copy(update=media_overrides)
    return settings.model_copy(update={"media": media})


@pytest.fixture
def store(settings: Settings) -> MediaStore:
    """The store the app under test uses: a directory here, a bucket in tests/s3/."""
    return open_media_store(settings.media)


@pytest.fixture
def pools() -> Iterator[ImagePools]:
    created = ImagePools.create()
    yield created
    created.shutdown()


@pytest.fixture
async def pool(database_url: str, db: asyncpg.Connection) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(database_url, min_size=1, max_size=10) as created:
        yield created


@pytest.fixture
async def people(db: asyncpg.Connection) -> None:
    await upsert_user(db, user_id=ALICE, first_name="Alice", last_name="Liddell", locale="en")
    await upsert_user(db, user_id=BOB, first_name="Борис", locale="ru")
    await upsert_user(db, user_id=CAROL, first_name="Carol", locale="en")


def jpeg(seed: int = 1, quality: int = 90) -> bytes:
    return encode(photo(seed), "JPEG", quality=quality)


class Uploader:
    """create_photo_object as the bot and the API call it."""

    def __init__(
        self, pool: asyncpg.Pool, store: MediaStore, pools: ImagePools, settings: Settings
    ):
        self.pool, self.store, self.pools, self.settings = pool, store, pools, settings

    async def __call__(
        self, data: bytes, uploader: int = ALICE, title: str | None = None, description: str = ""
    ) -> CreatedObject:
        return await create_photo_object(
            self.pool,
            self.store,
            self.pools,
            self.settings,
            uploader=uploader,
            data=data,
            title=title,
            description=description,
        )


@pytest.fixture
def upload(
    pool: asyncpg.Pool, store: MediaStore, pools: ImagePools, settings: Settings, people: None
) -> Uploader:
    return Uploader(pool, store, pools, settings)


async def stored_files(store: MediaStore) -> set[str]:
    return {listed.key async for listed in store.list_objects()}


def local_path(store: MediaStore, key: str) -> Path:
    """Where a local store keeps `key`, for tests that reach past the interface to the disk."""
    assert isinstance(store, LocalMediaStore)
    return store.local_path(key)


async def seed_object(
    db: asyncpg.Connection,
    owner: int,
    title: str,
    description: str = "",
    *,
    at: datetime | None = None,
) -> int:
    """An object straight in SQL, for listings that never open its files."""
    sha = hashlib.sha256(f"{owner}/{title}/{at}/{description}".encode()).hexdigest()
    object_id: int = await db.fetchval(
        """WITH p AS (
               INSERT INTO photos (sha256, dhash, width, height, format, byte_size, original_key,
                                   preview_key, thumb_key, placeholder, uploaded_by)
               VALUES ($1, 0, 40, 30, 'jpeg', 100, 'o', 'p', 't', 'ph', $2) RETURNING id)
           INSERT INTO art_objects (photo_id, title, description, creator_id, owner_id,
                                    created_at)
           SELECT p.id, $3, $4, $2, $2, COALESCE($5, clock_timestamp()) FROM p
           RETURNING id""",
        sha,
        owner,
        title,
        description,
        at,
    )
    await db.execute(
        """INSERT INTO ownership_history (object_id, to_user_id, reason)
           VALUES ($1, $2, 'created')""",
        object_id,
        owner,
    )
    return object_id


@pytest.fixture
async def api_doc(client: ApiClient) -> ApiDocument:
    response = await client.get("/api/openapi.json")
    assert response.status == 200
    return ApiDocument(await response.json())


@pytest.fixture
async def alice(client: ApiClient, sandbox: RunningSandbox) -> LoggedIn:
    return await login(client, sandbox, first_name="Alice", language_code="en")


@pytest.fixture
async def bob(client: ApiClient, sandbox: RunningSandbox) -> LoggedIn:
    return await login(client, sandbox, first_name="Борис", language_code="ru")


def photo_form(
    data: bytes, title: str | None = None, description: str | None = None
) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("file", data, filename="photo.jpg", content_type="image/jpeg")
    if title is not None:
        form.add_field("title", title)
    if description is not None:
        form.add_field("description", description)
    return form


async def post_photo(
    client: ApiClient,
    who: LoggedIn,
    data: bytes,
    title: str | None = None,
    description: str | None = None,
) -> tuple[int, dict[str, Any]]:
    response = await client.post(
        "/api/photos", data=photo_form(data, title, description), headers=who.headers
    )
    return response.status, await response.json()
