"""The OpenAPI 3.1 document of /api, built from the route tables (see webapp/routing.py for how
a route declares itself) and served at GET /api/openapi.json."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from aiohttp import web
from pydantic import BaseModel, JsonValue
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from pydantic_core import core_schema

from gallery.inputs import ID_MAX
from webapp.routing import API_ROUTES, PATH_ID_REFUSAL, PATH_PARAM, ApiRoute, RouteTable, path_ids

REF_TEMPLATE = "#/components/schemas/{model}"
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
INPUT_RULES = (
    "Every refusal is JSON `{\"error\": code, \"detail\": ...}`. Requests are held to their "
    "schema: a body or query key the schema does not name is refused; JSON bodies are strict "
    "(an id is a JSON number written without a fraction: 12, never 12.0 or \"12\", though "
    "JSON Schema's integer would allow 12.0; a flag is true or false); no string may carry a "
    "control character other than tab, newline and carriage return, nor a lone UTF-16 "
    "surrogate; an id is 1 to "
    f"{ID_MAX} and a version 1 to {2**31 - 1}. Any of these is a 400 `invalid` whose detail "
    "lists each offending field as {loc, msg}. A path id that is digits but out of range is "
    "400 as well, not 404: it is a malformed request that can name nothing, and 404 stays the "
    "answer for an id that could exist; a path segment that is not digits matches no route "
    "(404)."
)
BANNED = "banned: an operator banned this person (every call with their token)"
UNAVAILABLE = ("unavailable: the database is briefly away (a restart); media_unavailable: the "
               "photo store is; nothing was changed, try again")  # fmt: skip
JsonDict = dict[str, Any]
ModelKey = tuple[type[BaseModel], JsonSchemaMode]

# what webapp/inputs.py refuses in any request string (gallery/inputs.py's _UNWANTED), said as
# a pattern so a client, or a fuzzer, knows it from the schema and not only from the prose. Lone
# surrogates (also refused) stay in the prose: a range of them is no pattern that Rust's or
# Python's JSON Schema validators compile the same way, and schemathesis drops such a pattern.
PRINTABLE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

api_route = RouteTable()


class RequestSchema(GenerateJsonSchema):
    """Request strings (validation mode) carry PRINTABLE unless they have a pattern of their own."""

    def str_schema(self, schema: core_schema.StringSchema) -> JsonDict:
        json_schema = super().str_schema(schema)
        if self.mode == "validation":
            json_schema.setdefault("pattern", PRINTABLE)
        return json_schema


class ErrorBody(BaseModel):
    error: str
    detail: JsonValue


def route_models(route: ApiRoute) -> Iterable[ModelKey]:
    if route.body is not None:
        yield route.body, "validation"
    if route.query is not None:
        yield route.query, "validation"
    if route.response is not None:
        yield route.response, "serialization"


def schemas(routes: Sequence[ApiRoute]) -> tuple[dict[ModelKey, JsonDict], JsonDict]:
    """A $ref per (model, mode) and the components they point to; pydantic names the two modes
    of one model apart when their schemas differ."""
    keys: list[ModelKey] = [(ErrorBody, "serialization")]
    keys += [key for route in routes for key in route_models(route) if key not in keys]
    refs, definitions = models_json_schema(
        keys, ref_template=REF_TEMPLATE, schema_generator=RequestSchema
    )
    return {key: refs[key] for key in keys}, definitions.get("$defs", {})


def json_content(schema: JsonDict) -> JsonDict:
    return {"application/json": {"schema": schema}}


def path_parameters(path: str) -> list[JsonDict]:
    ids = path_ids(path)
    return [
        {"name": name, "in": "path", "required": True,
         "schema": ID_SCHEMA if name in ids else {"type": "string"}}
        for name, _ in PATH_PARAM.findall(path)
    ]


def query_parameters(model: type[BaseModel] | None, components: JsonDict) -> list[JsonDict]:
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF_TEMPLATE, schema_generator=RequestSchema)
    components.update(schema.get("$defs", {}))
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop}
            for name, prop in schema.get("properties", {}).items()]


def error_statuses(route: ApiRoute) -> dict[int, str]:
    statuses: dict[int, str] = {}
    if route.body is not None or route.query is not None:
        statuses[400] = "invalid: the request does not match its schema"
    if route.path_ids:
        statuses[400] = "; ".join(filter(None, [statuses.get(400), PATH_ID_REFUSAL]))
    if route.body is not None:
        statuses |= {413: "The body is too large", 415: "The body is not JSON"}
    if route.auth != "none":
        statuses[401] = "unauthorized, or token_expired: refresh and retry"
        statuses[403] = BANNED
    if route.limit is not None:
        statuses[429] = (f"rate_limited: over the {route.limit} limit of this person or address; "
                         "Retry-After says when to try again")
    statuses[503] = UNAVAILABLE  # webapp/errors.py, from any route
    own = dict(route.errors)
    if 403 in own and 403 in statuses:  # a route's own 403, and a banned person's
        own[403] = f"{own[403]}; {BANNED}"
    return statuses | own


def success_response(route: ApiRoute, refs: dict[ModelKey, JsonDict]) -> JsonDict:
    if route.response is not None:
        return {"description": route.summary,
                "content": json_content(refs[(route.response, "serialization")])}
    if route.status == 204:
        return {"description": "Done; no content"}
    return {"description": route.summary, "content": json_content({"type": "object"})}


def responses(route: ApiRoute, refs: dict[ModelKey, JsonDict]) -> JsonDict:
    error_ref = refs[(ErrorBody, "serialization")]
    answers = {str(route.status): success_response(route, refs)}
    for status, description in sorted(error_statuses(route).items()):
        answers[str(status)] = {"description": description, "content": json_content(error_ref)}
    return answers


def security(route: ApiRoute) -> list[JsonDict]:
    return {"required": [{"bearer": []}], "optional": [{}, {"bearer": []}], "none": []}[route.auth]


def operation(route: ApiRoute, refs: dict[ModelKey, JsonDict], components: JsonDict) -> JsonDict:
    doc: JsonDict = {
        "operationId": route.handler.__name__,
        "summary": route.summary,
        "security": security(route),
        "parameters": path_parameters(route.path) + query_parameters(route.query, components),
        "responses": responses(route, refs),
    }
    if route.body is not None:
        doc["requestBody"] = {"required": True,
                              "content": json_content(refs[(route.body, "validation")])}
    elif route.request_body is not None:
        doc["requestBody"] = dict(route.request_body)
    return doc


def openapi_path(prefix: str, path: str) -> str:
    return prefix + PATH_PARAM.sub(lambda match: "{" + match.group(1) + "}", path)


def build_document(routes: Sequence[ApiRoute], *, prefix: str = "/api") -> JsonDict:
    refs, components = schemas(routes)
    paths: JsonDict = {}
    for route in routes:
        path_item = paths.setdefault(openapi_path(prefix, route.path), {})
        path_item[route.method.lower()] = operation(route, refs, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Max Photo Gallery API", "version": "1", "description": INPUT_RULES},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "bearerFormat": "JWT"}},
        },
    }


@api_route("GET", "/openapi.json", summary="This document", auth=False)
async def openapi_document(request: web.Request) -> web.Response:
    routes = request.app[API_ROUTES]
    return web.json_response(build_document(routes))


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
