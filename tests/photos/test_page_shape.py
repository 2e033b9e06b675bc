"""Gallery pages are built from dicts for speed; they must still be exactly what /api documents."""

from __future__ import annotations

import asyncpg
import jsonschema
from aiohttp import web
from aiohttp.test_utils import TestClient

from sandbox.runner import RunningSandbox
from tests.bot.test_conversation import insert_object
from tests.webapp.helpers import login
from webapp.object_views import PageOut

Client = TestClient[web.Request, web.Application]


async def test_every_page_endpoint_answers_the_documented_shape(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    for n in range(3):
        object_id = await insert_object(db, me.user_id, f"Piece {n}")
        await db.execute(
            "INSERT INTO favorites (user_id, object_id) VALUES ($1, $2)", me.user_id, object_id
        )
    document = await (await client.get("/api/openapi.json")).json()
    # refs inside resolve against this root, which carries the document's components
    schema = {"$ref": "#/components/schemas/PageOut", "components": document["components"]}
    for path in ("/api/objects?limit=2", "/api/me/objects", "/api/me/favorites"):
        response = await client.get(path, headers=me.headers)
        body = await response.json()
        assert response.status == 200
        assert body["items"], path
        jsonschema.validate(body, schema)
        parsed = PageOut.model_validate(body)
        assert parsed.model_dump(mode="json", by_alias=True).keys() == body.keys()
        for item, model in zip(body["items"], parsed.items, strict=True):
            dumped = model.model_dump(mode="json", by_alias=True)
            assert item.keys() == dumped.keys()
            assert item["media"].keys() == dumped["media"].keys()
            assert item["owner"] == dumped["owner"]

