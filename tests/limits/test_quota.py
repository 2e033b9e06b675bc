"""The storage quota: photos a person uploaded and kept, and their bytes; parallel uploads
cannot pass it together, because it is checked under the intake lock."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.photos.conftest import jpeg, post_photo
from tests.webapp.helpers import ApiClient, login

ROOMY = {"upload": {"person": 1000, "address": 1000}}


@pytest.mark.parametrize("limits_overrides", [{**ROOMY, "quota_objects": 2}])
async def test_parallel_uploads_stop_at_the_object_quota(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    answers = await asyncio.gather(*(post_photo(client, anna, jpeg(seed)) for seed in range(6)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201, 201, 413, 413, 413, 413]
    refusals = [body for status, body in answers if status == 413]
    assert refusals == [{"error": "quota_exceeded",
                         "detail": "the storage quota is 2 photos per person, and 2 are yours"}
                        ] * 4  # fmt: skip
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 2
    assert await db.fetchval("SELECT count(*) FROM photos") == 2
    # someone else's quota is their own
    boris = await login(client, sandbox, first_name="Boris")
    assert (await post_photo(client, boris, jpeg(99)))[0] == 201


@pytest.mark.parametrize("limits_overrides", [{**ROOMY, "quota_bytes": len(jpeg(1)) + 100}])
async def test_the_byte_quota(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    assert (await post_photo(client, anna, jpeg(1)))[0] == 201
    status, body = await post_photo(client, anna, jpeg(2))
    used, size = len(jpeg(1)), len(jpeg(2))
    assert (status, body) == (413, {
        "error": "quota_exceeded",
        "detail": f"the storage quota is {used + 100} bytes per person; {used} are used and "
                  f"this photo has {size}",
    })  # fmt: skip
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 1


@pytest.mark.parametrize("limits_overrides", [{**ROOMY, "quota_objects": 1}])
async def test_deleting_frees_the_quota(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    status, created = await post_photo(client, anna, jpeg(1))
    assert status == 201
    assert (await post_photo(client, anna, jpeg(2)))[0] == 413
    deleted = await client.delete(f"/api/objects/{created['id']}", headers=anna.headers)
    assert deleted.status == 204
    assert (await post_photo(client, anna, jpeg(2)))[0] == 201
