"""Uploads with the bucket underneath: through the chat, the sweep, and a failure half-way
that must leave no row without its objects and no object without its row."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import asyncpg
import pytest

from gallery.photos.sweep import sweep_orphans
from sandbox.runner import RunningSandbox
from storage.media import MediaStore, storage_key
from tests.bot.helpers import wait_for_bot_messages
from tests.photos.conftest import Uploader, jpeg, stored_files
from tests.webapp.helpers import ApiClient

pytestmark = pytest.mark.s3

REFUSE_OBJECTS = """
CREATE FUNCTION refuse_object() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(1.5); RAISE EXCEPTION 'refused by the test'; END $$;
CREATE TRIGGER refuse_object BEFORE INSERT ON art_objects
FOR EACH ROW EXECUTE FUNCTION refuse_object();
"""


@pytest.fixture
async def objects_refused(db: asyncpg.Connection) -> AsyncIterator[None]:
    """Inserting an object fails, slowly: after the photo's objects are in the bucket."""
    await db.execute(REFUSE_OBJECTS)
    try:
        yield
    finally:
        await db.execute("DROP TRIGGER refuse_object ON art_objects; DROP FUNCTION refuse_object()")


async def counts(db: asyncpg.Connection) -> tuple[int, int]:
    photos = await db.fetchval("SELECT count(*) FROM photos")
    objects = await db.fetchval("SELECT count(*) FROM art_objects")
    return photos, objects


async def test_a_failure_after_the_objects_are_written_removes_them(
    upload: Uploader, db: asyncpg.Connection, store: MediaStore, objects_refused: None
) -> None:
    attempt = asyncio.create_task(upload(jpeg()))
    seen: set[str] = set()
    while len(seen) < 3 and not attempt.done():  # the three objects exist for a moment
        seen = await stored_files(store)
        await asyncio.sleep(0.05)
    with pytest.raises(asyncpg.RaiseError, match="refused by the test"):
        await attempt
    assert len(seen) == 3
    assert await counts(db) == (0, 0)
    assert await stored_files(store) == set()


async def test_a_photo_sent_in_the_chat_becomes_an_object_in_the_bucket(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, store: MediaStore
) -> None:
    created = await sandbox.control.create_user("Bob", language_code="en")
    user_id = created["user"]["user_id"]
    await sandbox.control.send_photos(user_id, [jpeg(3)], caption="Harbour")
    [card] = await wait_for_bot_messages(sandbox.control, user_id, 1)
    photo = await db.fetchrow("SELECT id, original_key, preview_key, thumb_key FROM photos")
    assert photo is not None
    assert await stored_files(store) == {photo[1], photo[2], photo[3]}
    assert card["text"] == "«Harbour» is now your art object."
    # the card's image was read back from the bucket and uploaded to MAX
    [image] = [a for a in card["attachments"] if a["type"] == "image"]
    async with aiohttp.ClientSession() as http, http.get(image["payload"]["url"]) as response:
        uploaded = await response.read()
    assert uploaded in [await store.get(key) for key in photo[1:]]


async def test_the_sweep_removes_old_orphans_from_the_bucket_and_nothing_else(
    upload: Uploader, pool: asyncpg.Pool, store: MediaStore
) -> None:
    created = await upload(jpeg())
    mine = await stored_files(store)
    stray = storage_key(created.photo.id + 1000, "thumb", "webp")
    await store.put(stray, b"left behind by a crash", "image/webp")
    assert await sweep_orphans(pool, store) == []  # within the grace: maybe still uploading
    assert await sweep_orphans(pool, store, grace=timedelta(0)) == [stray]
    assert await stored_files(store) == mine
