from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sandbox.runner import RunningSandbox
from tests.webapp.helpers import ApiClient, LoggedIn, login


@dataclass(frozen=True)
class ApiDocument:
    """The served /api/openapi.json, to hold response bodies to what it promises."""

    doc: dict[str, Any]

    def schema(self, method: str, path: str, status: int) -> dict[str, Any]:
        response = self.doc["paths"][path][method.lower()]["responses"][str(status)]
        schema: dict[str, Any] = response["content"]["application/json"]["schema"]
        return {**schema, "components": self.doc["components"]}

    def check(self, method: str, path: str, status: int, body: Any) -> None:
        Draft202012Validator(self.schema(method, path, status)).validate(body)


@pytest.fixture
async def api_doc(client: ApiClient) -> ApiDocument:
    response = await client.get("/api/openapi.json")
    assert response.status == 200
    return ApiDocument(await response.json())


@pytest.fixture
async def anna(client: ApiClient, sandbox: RunningSandbox) -> LoggedIn:
    return await login(client, sandbox)
