"""Each API rule: under it the request is answered as usual; one over it is 429 `rate_limited`
with Retry-After, and no table changes."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from storage.metrics import REGISTRY
from tests.limits.conftest import Call, assert_refused, limit_holds
from tests.photos.conftest import jpeg, photo_form, seed_object
from tests.webapp.helpers import ApiClient, launch_init_data, login

TIGHT = {"person": 2, "address": 1000}


@pytest.mark.parametrize("limits_overrides", [{"auth": TIGHT}])
async def test_logins_of_one_person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    _, init_data = await launch_init_data(sandbox)
    calls = [lambda: client.post("/api/auth", json={"init_data": init_data})] * 3
    await limit_holds(db, calls, "auth")


@pytest.mark.parametrize("limits_overrides", [{"auth": {"person": 100, "address": 3}}])
async def test_logins_and_refreshes_from_one_address(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """Three people, one address: the fourth call, a refresh, is refused."""
    people = [await login(client, sandbox, first_name=name) for name in ("A", "B", "C")]
    refresh = {"refresh_token": people[0].refresh_token}
    before = await db.fetchval("SELECT count(*) FROM auth_sessions")
    await assert_refused(await client.post("/api/auth/refresh", json=refresh), "auth")
    assert await db.fetchval("SELECT count(*) FROM auth_sessions") == before


@pytest.mark.parametrize("limits_overrides", [{"search": TIGHT}])
async def test_searches_of_one_person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    calls = [lambda: client.get("/api/objects?q=sea", headers=anna.headers)] * 3
    await limit_holds(db, calls, "search")
    # another person is not held back by Anna's searches
    boris = await login(client, sandbox, first_name="Boris")
    assert (await client.get("/api/objects?q=sea", headers=boris.headers)).status == 200


@pytest.mark.parametrize("limits_overrides", [{"search": {"person": 100, "address": 2}}])
async def test_anonymous_searches_from_one_address(
    client: ApiClient, db: asyncpg.Connection
) -> None:
    await limit_holds(db, [lambda: client.get("/api/objects")] * 3, "search")


@pytest.mark.parametrize("limits_overrides", [{"favorite": TIGHT}])
async def test_favourites(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    boris = await login(client, sandbox, first_name="Boris")
    first, second, third = [await seed_object(db, boris.user_id, f"Sea {n}") for n in range(3)]
    calls = [lambda i=i: client.put(f"/api/objects/{i}/favorite", headers=anna.headers)
             for i in (first, second, third)]  # fmt: skip
    before = refusals("favorite")
    await limit_holds(db, calls, "favorite")
    assert refusals("favorite") == before + 1


@pytest.mark.parametrize("limits_overrides", [{"report": TIGHT}])
async def test_reports(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> None:
    """A report is a write the operators read: a burst of them is held back like the others."""
    anna = await login(client, sandbox)
    boris = await login(client, sandbox, first_name="Boris")
    objects = [await seed_object(db, boris.user_id, f"Dune {n}") for n in range(3)]
    calls = [lambda i=i: client.post(f"/api/objects/{i}/reports", json={"reason": "spam here"},
                                     headers=anna.headers) for i in objects]  # fmt: skip
    await limit_holds(db, calls, "report")


def refusals(rule: str) -> float:
    found = REGISTRY.get_sample_value("gallery_rate_limit_refusals_total", {"rule": rule})
    return found or 0.0


@pytest.mark.parametrize("limits_overrides", [{"upload": TIGHT}])
async def test_uploads_per_minute(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    calls = [lambda seed=seed: client.post("/api/photos", data=photo_form(jpeg(seed)),
                                           headers=anna.headers) for seed in (1, 2, 3)]  # fmt: skip
    await limit_holds(db, calls, "upload")


@pytest.mark.parametrize("limits_overrides", [{"uploads_per_day": 1}])
async def test_uploads_per_day(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    calls = [lambda seed=seed: client.post("/api/photos", data=photo_form(jpeg(seed)),
                                           headers=anna.headers) for seed in (1, 2)]  # fmt: skip
    await limit_holds_a_day(db, calls, "upload_day")


@pytest.mark.parametrize("limits_overrides", [{"upload_bytes_per_day": len(jpeg(1)) + 10}])
async def test_upload_bytes_per_day(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna = await login(client, sandbox)
    calls = [lambda seed=seed: client.post("/api/photos", data=photo_form(jpeg(seed)),
                                           headers=anna.headers) for seed in (1, 2)]  # fmt: skip
    await limit_holds_a_day(db, calls, "upload_bytes_day")


async def limit_holds_a_day(db: asyncpg.Connection, calls: Sequence[Call], rule: str) -> None:
    """As limit_holds, with a day's window: Retry-After may be up to a day."""
    assert (await calls[0]()).status == 201
    objects = await db.fetchval("SELECT count(*) FROM art_objects")
    refused = await calls[1]()
    body = await refused.json()
    assert refused.status == 429, body
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 86400
    assert body == {
        "error": "rate_limited",
        "detail": f"too many requests ({rule}); try again in {retry_after} s",
    }
    assert await db.fetchval("SELECT count(*) FROM art_objects") == objects


async def test_the_document_lists_429_for_every_limited_operation(client: ApiClient) -> None:
    doc = await (await client.get("/api/openapi.json")).json()
    limited = {(path, method) for path, item in doc["paths"].items()
               for method, op in item.items() if "429" in op["responses"]}  # fmt: skip
    assert limited == {
        ("/api/auth", "post"),
        ("/api/auth/refresh", "post"),
        ("/api/objects", "get"),
        ("/api/objects/{object_id}/favorite", "put"),
        ("/api/objects/{object_id}/favorite", "delete"),
        ("/api/objects/{object_id}/reports", "post"),
        ("/api/photos", "post"),
        ("/api/trades", "post"),
        ("/api/trades/{trade_id}/counter", "post"),
        ("/api/transfers", "post"),
        ("/api/transfers/claim", "post"),
        ("/api/profile-requests", "post"),
        ("/api/me/notifications", "patch"),
        ("/api/objects/{object_id}/card", "get"),
        ("/api/objects/{object_id}/access-requests", "post"),
        ("/api/objects/{object_id}/card/messages", "post"),
        ("/api/account/exports", "post"),
        ("/api/account/exports/{export_id}/link", "post"),
        ("/api/account/exports/{export_id}/download", "get"),
        ("/api/account/deletion", "post"),
        ("/api/account/deletion/confirm", "post"),
    }
