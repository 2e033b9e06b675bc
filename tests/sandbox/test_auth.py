import httpx
import pytest

from sandbox.runner import RunningSandbox
from tests.sandbox.schema import assert_valid

INVALID_TOKEN = {"code": "verify.token", "message": "Invalid access_token"}


async def test_bare_token_in_authorization_header_is_accepted(api: httpx.AsyncClient) -> None:
    response = await api.get("/me")
    assert response.status_code == 200
    assert_valid("BotInfo", response.json())
    assert response.json()["user_id"] == 229229229
    assert response.json()["is_bot"] is True


@pytest.mark.parametrize(
    ("headers", "params"),
    [
        ({"Authorization": "Bearer sandbox-token"}, {}),
        ({"Authorization": "wrong-token"}, {}),
        ({}, {}),
        ({}, {"access_token": "sandbox-token"}),
    ],
    ids=["bearer-prefix", "wrong-token", "missing", "query-parameter-only"],
)
async def test_other_token_forms_are_refused_as_max_does(
    sandbox: RunningSandbox, headers: dict[str, str], params: dict[str, str]
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url) as client:
        response = await client.get("/me", headers=headers, params=params)
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    assert_valid("Error", response.json())


async def test_unknown_path_is_404_with_error_body(api: httpx.AsyncClient) -> None:
    response = await api.get("/no/such/method")
    assert response.status_code == 404
    assert response.json() == {"code": "not.found", "message": "Path /no/such/method not found"}


async def test_wrong_method_is_405(api: httpx.AsyncClient) -> None:
    response = await api.post("/me")
    assert response.status_code == 405
    assert_valid("Error", response.json())
    assert response.json()["code"] == "method.not.allowed"


async def test_body_that_is_not_json_is_proto_payload(
    api: httpx.AsyncClient, user: dict[str, int]
) -> None:
    response = await api.post("/messages", params={"chat_id": user["chat_id"]},
                              content=b"text=hello")
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload", "message": "Invalid JSON body"}


async def test_requests_are_logged_for_inspection(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    await api.get("/me")
    log = await sandbox.control.requests_log()
    assert [(r["method"], r["path"], r["status"]) for r in log] == [("GET", "/me", 200)]
