"""Request bodies and query strings into pydantic models, or a clear 400/413/415."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from aiohttp import web
from pydantic import BaseModel, ValidationError

from webapp.errors import BodyInvalid, BodyTooLarge, MalformedBody, UnsupportedMediaType

M = TypeVar("M", bound=BaseModel)
# API bodies are small JSON documents; uploads stream multipart on their own route.
MAX_JSON_BYTES = 64 * 1024


def simplify_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"loc": list(err["loc"]), "msg": err["msg"]} for err in exc.errors()]


def validate(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BodyInvalid(simplify_errors(exc)) from None


async def read_limited(request: web.Request, limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(16 * 1024):
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def parse_body(request: web.Request, model: type[M], *, limit: int = MAX_JSON_BYTES) -> M:
    """The JSON body as `model`: 415 unless application/json, 413 past `limit`, 400 otherwise."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType(f"expected application/json, got {request.content_type}")
    raw = await read_limited(request, limit)
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedBody(f"the body is not valid JSON: {exc}") from None
    return validate(model, data)


def parse_query(request: web.Request, model: type[M]) -> M:
    """The query string as `model`; a repeated key arrives as a list."""
    data: dict[str, Any] = {}
    for key in request.query:
        values = request.query.getall(key)
        data[key] = values if len(values) > 1 else values[0]
    return validate(model, data)
