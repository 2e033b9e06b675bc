"""/api/openapi.json lists exactly the routes the /api sub-app serves, with valid schemas."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from jsonschema import Draft202012Validator

from tests.webapp.conftest import ApiDocument
from tests.webapp.helpers import ApiClient
from webapp.openapi import PRINTABLE

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def mounted_api(client: ApiClient) -> web.Application:
    for resource in client.app.router.resources():
        info = resource.get_info()
        if info.get("prefix") == "/api":
            api: web.Application = info["app"]
            return api
    raise AssertionError("no /api sub-app")


def served_routes(api: web.Application) -> set[tuple[str, str]]:
    return {(route.method, route.resource.canonical) for route in api.router.routes()
            if route.resource is not None and route.method != "HEAD"}


def documented_routes(doc: ApiDocument) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in doc.doc["paths"].items()
            for method in item if method in METHODS}


async def test_every_served_route_is_documented_and_nothing_else(
    client: ApiClient, api_doc: ApiDocument
) -> None:
    served = served_routes(mounted_api(client))
    assert ("POST", "/api/auth") in served
    assert documented_routes(api_doc) == served


async def test_the_document_is_openapi_3_1_with_valid_component_schemas(
    api_doc: ApiDocument,
) -> None:
    doc = api_doc.doc
    assert doc["openapi"] == "3.1.0"
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    operation_ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))


async def test_every_reference_resolves(api_doc: ApiDocument) -> None:
    text = str(api_doc.doc)
    names = set(api_doc.doc["components"]["schemas"])
    refs = {part.split("'")[0] for part in text.split("#/components/schemas/")[1:]}
    assert refs <= names


async def test_auth_needs_and_documents_a_bearer_token_where_it_is_required(
    api_doc: ApiDocument,
) -> None:
    paths = api_doc.doc["paths"]
    assert paths["/api/me"]["get"]["security"] == [{"bearer": []}]
    assert "401" in paths["/api/me"]["get"]["responses"]
    assert paths["/api/auth"]["post"]["security"] == []


def string_schemas(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "string" and "enum" not in node and "const" not in node:
            yield node
        for value in node.values():
            yield from string_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from string_schemas(value)


async def test_request_strings_say_which_characters_they_refuse(api_doc: ApiDocument) -> None:
    """Found by schemathesis: a string with U+0019 matched the schema and was refused 400."""
    request_schemas = [
        schema for name, schema in api_doc.doc["components"]["schemas"].items()
        if name in ("AuthRequest", "RefreshRequest", "ObjectEdit", "ReasonIn", "TokenIn")
    ] + [param["schema"] for item in api_doc.doc["paths"].values() for op in item.values()
         for param in op["parameters"] if param["in"] == "query"]  # fmt: skip
    strings = [node for schema in request_schemas for node in string_schemas(schema)]
    assert len(strings) > 5
    assert re.search(PRINTABLE, "a line\r\nand a\ttab")
    for node in strings:
        pattern = re.compile(node["pattern"])  # PRINTABLE, or a stricter one of the field's
        assert not pattern.search("a\x19b")
        assert not pattern.search("\x00")


async def test_query_ids_have_json_schema_bounds(api_doc: ApiDocument) -> None:
    """pydantic wrote `ge`/`le` (not JSON Schema words) for the `owner` query id."""
    text = json.dumps(api_doc.doc)
    assert '"ge":' not in text
    assert '"le":' not in text
    owner = next(p for p in api_doc.doc["paths"]["/api/objects"]["get"]["parameters"]
                 if p["name"] == "owner")  # fmt: skip
    assert owner["schema"]["anyOf"][0] | {"minimum": 1} == owner["schema"]["anyOf"][0]
