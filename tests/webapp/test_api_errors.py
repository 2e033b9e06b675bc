"""How /api answers what it cannot serve: always JSON, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from pydantic import BaseModel
from pytest_aiohttp import AiohttpClient

from config.log_context import REQUEST_ID_HEADER
from server.logs import request_id_middleware
from tests.webapp.helpers import ApiClient
from webapp.bodies import MAX_JSON_BYTES
from webapp.errors import api_error_middleware
from webapp.routing import API_ROUTES, RouteTable


async def test_an_unknown_api_route_is_a_json_404(client: ApiClient) -> None:
    response = await client.get("/api/no/such/thing")
    assert response.status == 404
    assert await response.json() == {"error": "not_found", "detail": "Not Found"}


async def test_a_wrong_method_is_a_json_405_with_allow(client: ApiClient) -> None:
    response = await client.delete("/api/auth")
    assert response.status == 405
    assert response.headers["Allow"] == "POST"
    assert await response.json() == {"error": "method_not_allowed", "detail": "Method Not Allowed"}


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
async def test_a_body_that_is_not_json_is_415(client: ApiClient, content_type: str) -> None:
    response = await client.post("/api/auth", data=b'{"init_data": "x"}',
                                 headers={"Content-Type": content_type})
    body = await response.json()
    assert response.status == 415
    assert body == {"error": "unsupported_media_type", "detail": body["detail"]}


async def test_a_body_without_content_type_is_415(client: ApiClient) -> None:
    response = await client.post("/api/auth", data=b'{"init_data": "x"}')
    assert response.status == 415


@pytest.mark.parametrize("raw", [b"", b"{", b"{'init_data': 'x'}", b"\xff\xfe", b"NaN"])
async def test_malformed_json_is_400(client: ApiClient, raw: bytes) -> None:
    response = await client.post("/api/auth", data=raw,
                                 headers={"Content-Type": "application/json"})
    body = await response.json()
    assert response.status == 400
    assert body == {"error": "malformed_json", "detail": body["detail"]}


@pytest.mark.parametrize(("payload", "detail"), [
    ({"init_data": 5}, [{"loc": ["init_data"], "msg": "Input should be a valid string"}]),
    ({}, [{"loc": ["init_data"], "msg": "Field required"}]),
    ({"init_data": "a=b", "extra": 1},
     [{"loc": ["extra"], "msg": "Extra inputs are not permitted"}]),
    ([1], [{"loc": [], "msg": "Input should be a valid dictionary or instance of AuthRequest"}]),
])
async def test_a_body_that_does_not_fit_its_model_is_400_with_where(
    client: ApiClient, payload: object, detail: list[dict[str, object]]
) -> None:
    response = await client.post("/api/auth", json=payload)
    assert response.status == 400
    assert await response.json() == {"error": "invalid", "detail": detail}


async def test_an_oversized_body_is_413(client: ApiClient) -> None:
    response = await client.post("/api/auth", json={"init_data": "x" * MAX_JSON_BYTES})
    body = await response.json()
    assert response.status == 413
    assert body == {"error": "too_large",
                    "detail": f"the body is larger than {MAX_JSON_BYTES} bytes"}


async def test_an_oversized_chunked_body_is_413(client: ApiClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"init_data": "'
        for _ in range(MAX_JSON_BYTES // 1024 + 1):
            yield b"x" * 1024
        yield b'"}'

    response = await client.post("/api/auth", data=chunks(),
                                 headers={"Content-Type": "application/json"})
    assert response.status == 413
    assert (await response.json())["error"] == "too_large"


class Echo(BaseModel):
    text: str


def failing_api() -> web.Application:
    api_route = RouteTable()

    @api_route("GET", "/boom", summary="Fails", auth=False)
    async def boom(request: web.Request) -> None:
        raise RuntimeError("database password is hunter2")

    @api_route("GET", "/liar", summary="Returns what it did not document", response=Echo,
               auth=False)
    async def liar(request: web.Request) -> BaseModel:
        return BaseModel()

    api = web.Application(middlewares=[request_id_middleware, api_error_middleware])
    api[API_ROUTES] = []
    api_route.mount(api)
    return api


async def test_an_unexpected_error_is_logged_with_the_request_id_and_answered_500(
    aiohttp_client: AiohttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    client = await aiohttp_client(failing_api())
    response = await client.get("/boom", headers={REQUEST_ID_HEADER: "req-42"})
    text = await response.text()

    assert response.status == 500
    assert await response.json() == {
        "error": "internal", "detail": "something went wrong on our side (req-42)"
    }
    assert "hunter2" not in text
    assert "Traceback" not in text
    record = next(r for r in caplog.records if r.name == "webapp.errors")
    assert "req-42" in record.getMessage()
    assert record.exc_info is not None
    assert record.levelno == logging.ERROR


async def test_a_handler_returning_an_undocumented_body_is_a_500(
    aiohttp_client: AiohttpClient,
) -> None:
    client = await aiohttp_client(failing_api())
    response = await client.get("/liar")
    assert response.status == 500
    assert (await response.json())["error"] == "internal"
