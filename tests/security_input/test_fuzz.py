"""Every route the API documents, every field it reads: hostile values are refused with a 4xx in
the {"error", "detail"} shape, never a 500, and the database is exactly as it was.

The routes and their fields come from /api/openapi.json (built from the route tables, which
test_every_route_is_documented holds it to), so a new route or field is fuzzed without a word
here. Everything else in each request is valid and names real rows of the world fixture, so a
value that slipped past validation would reach PostgreSQL or change something. The cases are
built in fuzz_cases.py."""

from __future__ import annotations

from typing import Any

import aiohttp
import asyncpg
import pytest

from tests.media.images import encode, photo
from tests.security_input.conftest import World, assert_refusal, snapshot
from tests.security_input.fuzz_cases import CASES, Case, Where, operations
from tests.webapp.helpers import ApiClient
from webapp.api import create_api
from webapp.openapi import openapi_path
from webapp.routing import API_ROUTES


async def send(client: ApiClient, world: World, case: Case) -> tuple[int, Any]:
    if case.form is not None:
        form = aiohttp.FormData()
        form.add_field("file", encode(photo(11), "JPEG"), filename="p.jpg",
                       content_type="image/jpeg")  # fmt: skip
        for name, value in case.form:
            form.add_field(name, value)
        response = await client.request(case.method, case.url, data=form, headers=world.headers)
    elif case.has_body:
        response = await client.request(
            case.method, case.url, json=case.json, headers=world.headers
        )
    else:
        response = await client.request(case.method, case.url, headers=world.headers)
    assert response.content_type == "application/json", (case.what, response.status)
    return response.status, await response.json()


@pytest.mark.parametrize("where", list(CASES))
async def test_hostile_values_in_every_field_of_every_route_are_refused(
    client: ApiClient, world: World, db: asyncpg.Connection, where: Where
) -> None:
    response = await client.get("/api/openapi.json")
    doc = await response.json()
    before = await snapshot(db)
    title_before = await db.fetchval(
        "SELECT title FROM art_objects WHERE id = $1", world.alice_objects[0]
    )
    tried, failures = 0, []
    for op in operations(doc, world):
        for case in CASES[where](op):
            tried += 1
            status, body = await send(client, world, case)
            try:
                assert_refusal(status, body, f"{case.method} {op.template} {case.what}")
            except AssertionError as exc:
                failures.append(str(exc).split("\n")[0])

    assert failures == []
    assert tried >= {"path": 90, "query": 80, "body": 250, "form": 10}[where]
    assert await snapshot(db) == before
    assert await db.fetchval(
        "SELECT title FROM art_objects WHERE id = $1", world.alice_objects[0]
    ) == title_before


async def test_every_route_is_documented(client: ApiClient) -> None:
    """What the fuzz reads is what the app serves."""
    response = await client.get("/api/openapi.json")
    doc = await response.json()
    documented = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    served = {(r.method, openapi_path("/api", r.path)) for r in create_api()[API_ROUTES]}

    assert documented == served
    assert len(served) >= 30
