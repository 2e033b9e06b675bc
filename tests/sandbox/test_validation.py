from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import JsonDict
from tests.sandbox.schema import assert_valid


def keyboard(rows: list[list[JsonDict]]) -> JsonDict:
    return {"type": "inline_keyboard", "payload": {"buttons": rows}}


def callback(text: str = "Go", payload: str = "go") -> JsonDict:
    return {"type": "callback", "text": text, "payload": payload}


def link(url: str = "https://example.com") -> JsonDict:
    return {"type": "link", "text": "Open", "url": url}


def open_app(payload: str) -> JsonDict:
    return {"type": "open_app", "text": "App", "web_app": "gallery_sandbox_bot",
            "payload": payload}


REJECTED_BODIES: list[tuple[str, JsonDict, str]] = [
    ("text-4001", {"text": "x" * 4001}, "Field 'text' size (4001) must be at most 4000"),
    ("31-rows", {"attachments": [keyboard([[callback()]] * 31)]},
     "Field 'buttons' size (31) must be at most 30"),
    ("8-in-row", {"attachments": [keyboard([[callback()] * 8])]},
     "Row has 8 buttons, must be at most 7"),
    ("4-in-link-row", {"attachments": [keyboard([[link(), callback(), callback(), callback()]])]},
     "Row has 4 buttons, must be at most 3"),
    ("empty-button-text", {"attachments": [keyboard([[callback(text="")]])]},
     "Field 'text' size (0) must be at least 1"),
    ("button-text-129", {"attachments": [keyboard([[callback(text="b" * 129)]])]},
     "Field 'text' size (129) must be at most 128"),
    ("callback-without-payload",
     {"attachments": [keyboard([[{"type": "callback", "text": "Go"}]])]},
     "Missing required field: payload"),
    ("callback-payload-1025", {"attachments": [keyboard([[callback(payload="p" * 1025)]])]},
     "Field 'payload' size (1025) must be at most 1024"),
    ("link-not-http", {"attachments": [keyboard([[link("ftp://example.com/x")]])]},
     "Must have only http/https links format in buttons"),
    ("link-url-2049", {"attachments": [keyboard([[link("https://e.com/" + "u" * 2035)]])]},
     "Field 'url' size (2049) must be at most 2048"),
    ("open-app-payload-chars", {"attachments": [keyboard([[open_app("bad payload!")]])]},
     "Field 'payload' must match ^[\\w-]*$"),
    ("open-app-payload-513", {"attachments": [keyboard([[open_app("a" * 513)]])]},
     "Field 'payload' size (513) must be at most 512"),
    ("two-keyboards", {"attachments": [keyboard([[callback()]]), keyboard([[callback()]])]},
     "Must be only one inline keyboard in message"),
    ("two-files", {"attachments": [{"type": "file", "payload": {"token": "a"}},
                                   {"type": "file", "payload": {"token": "b"}}]},
     "Must be only one file attachment in message"),
    ("13-images", {"attachments": [{"type": "image", "payload": {"url": "https://e.com/i"}}] * 13},
     "Must be at most 12 image and video attachments in message"),
    ("attachment-without-type", {"attachments": [{"payload": {}}]},
     "Missing required field: type"),
    ("unknown-photo-token", {"attachments": [{"type": "image", "payload": {"token": "nope"}}]},
     "Invalid photo token provided: nope"),
    ("empty-message", {"text": None}, "Message must have text or attachments"),
]


@pytest.mark.parametrize(("body", "message"), [(b, m) for _, b, m in REJECTED_BODIES],
                         ids=[i for i, _, _ in REJECTED_BODIES])
async def test_send_validation_errors_are_proto_payload(
    api: httpx.AsyncClient, user: JsonDict, body: JsonDict, message: str
) -> None:
    response = await api.post("/messages", params={"user_id": user["user"]["user_id"]},
                              json=body)
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload", "message": message}
    assert_valid("Error", response.json())


async def test_210_buttons_in_30_rows_of_7_are_accepted(
    api: httpx.AsyncClient, user: JsonDict
) -> None:
    rows = [[callback(payload=f"{r}-{c}") for c in range(7)] for r in range(30)]
    response = await api.post("/messages", params={"chat_id": user["chat_id"]},
                              json={"text": "big", "attachments": [keyboard(rows)]})
    assert response.status_code == 200
    assert_valid("SendMessageResult", response.json())


@pytest.mark.parametrize(
    ("params", "status", "code", "message"),
    [
        ({}, 400, "proto.payload",
         "Exactly one of 'user_id' or 'chat_id' query parameters is required"),
        ({"user_id": "1", "chat_id": "2"}, 400, "proto.payload",
         "Exactly one of 'user_id' or 'chat_id' query parameters is required"),
        ({"chat_id": "777"}, 404, "not.found", "Chat 777 not found"),
        ({"user_id": "777"}, 404, "not.found", "User 777 not found"),
    ],
    ids=["neither", "both", "unknown-chat", "unknown-user"],
)
async def test_recipient_rules(api: httpx.AsyncClient, params: dict[str, str], status: int,
                               code: str, message: str) -> None:
    response = await api.post("/messages", params=params, json={"text": "hi"})
    assert response.status_code == status
    assert response.json() == {"code": code, "message": message}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"timeout": "91"}, "Field 'timeout' value (91) must be at most 90"),
        ({"limit": "0"}, "Field 'limit' value (0) must be at least 1"),
        ({"limit": "1001"}, "Field 'limit' value (1001) must be at most 1000"),
    ],
)
async def test_updates_parameter_limits(
    api: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await api.get("/updates", params=params)
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload", "message": message}


async def test_upload_without_type_is_refused(api: httpx.AsyncClient) -> None:
    response = await api.post("/uploads")
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload",
                               "message": "Missing required parameter: type"}


async def test_answer_needs_message_or_notification(
    api: httpx.AsyncClient, sandbox_callback: tuple[str, str]
) -> None:
    callback_id, _ = sandbox_callback
    response = await api.post("/answers", params={"callback_id": callback_id}, json={})
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload",
                               "message": "Invalid request. `message` or `notification` required"}


@pytest.mark.parametrize(
    ("commands", "message"),
    [
        ([{"name": f"c{i}"} for i in range(33)], "Field 'commands' size (33) must be at most 32"),
        ([{"name": ""}], "Field 'name' size (0) must be at least 1"),
        ([{"name": "n" * 65}], "Field 'name' size (65) must be at most 64"),
        ([{"name": "ok", "description": "d" * 129}],
         "Field 'description' size (129) must be at most 128"),
    ],
    ids=["33-commands", "empty-name", "name-65", "description-129"],
)
async def test_command_limits(api: httpx.AsyncClient, commands: list[Any], message: str) -> None:
    response = await api.patch("/me/commands", json={"commands": commands})
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload", "message": message}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"url": "http://example.com/hook"}, "Field 'url' must start with https://"),
        ({"url": "https://example.com/hook", "secret": "abc"},
         "Field 'secret' must match ^[a-zA-Z0-9_-]{5,256}$"),
        ({"url": "https://example.com/hook", "secret": "has space"},
         "Field 'secret' must match ^[a-zA-Z0-9_-]{5,256}$"),
    ],
    ids=["http-non-loopback", "short-secret", "bad-secret-chars"],
)
async def test_subscription_validation(
    api: httpx.AsyncClient, body: JsonDict, message: str
) -> None:
    response = await api.post("/subscriptions", json=body)
    assert response.status_code == 400
    assert response.json() == {"code": "proto.payload", "message": message}
