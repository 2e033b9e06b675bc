"""The signer checked against an independent implementation of docs/max-platform.md, The
mini-app: checking initData."""

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest

from sandbox.control import Variant
from sandbox.runner import RunningSandbox
from sandbox.signer import launch_url, sign_init_data
from tests.sandbox.conftest import JsonDict

TOKEN = "sandbox-token"
USER = {"id": 67890, "first_name": "Макс", "last_name": "User", "username": None,
        "language_code": "ru", "photo_url": None}


def verify(init_data: str, bot_token: str, max_age_s: int = 3600) -> dict[str, Any] | None:
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    keys = [k for k, _ in pairs]
    if keys.count("hash") != 1 or len(keys) != len(set(keys)):
        return None
    data = dict(pairs)
    received = data.pop("hash")
    launch = "\n".join(f"{k}={v}" for k, v in sorted(data.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, launch.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received):
        return None
    age = time.time() - int(data["auth_date"])
    if age > max_age_s or age < -60:
        return None
    return {k: json.loads(v) if k in ("user", "chat") else v for k, v in data.items()}


def test_round_trip_with_independent_verifier() -> None:
    init_data = sign_init_data(TOKEN, USER, chat={"id": 12345, "type": "DIALOG"},
                               start_param="photo_42", query_id="q-1", ip="192.168.0.1")
    parsed = verify(init_data, TOKEN)
    assert parsed is not None
    assert parsed["user"] == USER
    assert parsed["chat"] == {"id": 12345, "type": "DIALOG"}
    assert (parsed["start_param"], parsed["query_id"], parsed["ip"]) == (
        "photo_42", "q-1", "192.168.0.1")


def test_layout_is_unsorted_compact_and_fully_quoted() -> None:
    init_data = sign_init_data(TOKEN, USER, chat={"id": 1, "type": "DIALOG"},
                               auth_date=1771409719, query_id="q", ip="10.0.0.1")
    keys = [pair.split("=", 1)[0] for pair in init_data.split("&")]
    assert keys == ["chat", "ip", "user", "query_id", "auth_date", "hash"]
    user_value = init_data.split("&")[2].split("=", 1)[1]
    assert "+" not in user_value
    assert "%2C%22" in user_value
    assert unquote(user_value) == json.dumps(USER, separators=(",", ":"), ensure_ascii=False)


def test_wrong_token_fails_verification() -> None:
    assert verify(sign_init_data(TOKEN, USER), "other-token") is None


def test_launch_url_format() -> None:
    init_data = sign_init_data(TOKEN, USER, start_param="abc")
    url = launch_url("https://app.example/app", init_data, "abc")
    parts = urlsplit(url)
    assert parts.query == "WebAppStartParam=abc"
    fragment = dict(parse_qsl(parts.fragment))
    assert fragment["WebAppPlatform"] == "web"
    assert fragment["WebAppVersion"] == "26.2.8"
    assert fragment["WebAppData"] == init_data


@pytest.mark.parametrize(("variant", "valid"),
                         [("valid", True), ("expired", False), ("tampered", False),
                          ("future", False)])
async def test_launch_variants_from_control_api(
    sandbox: RunningSandbox, user: JsonDict, variant: Variant, valid: bool
) -> None:
    launch = await sandbox.control.launch_data(user["user"]["user_id"], "gallery_7", variant)
    parsed = verify(launch["init_data"], sandbox.token)
    assert (parsed is not None) == valid
    assert launch["url"].startswith("http://127.0.0.1:8080/app?WebAppStartParam=gallery_7#")
    if parsed is not None:
        assert parsed["user"]["id"] == user["user"]["user_id"]
        assert parsed["chat"] == {"id": user["chat_id"], "type": "DIALOG"}


async def test_bad_start_param_is_removed(sandbox: RunningSandbox, user: JsonDict) -> None:
    launch = await sandbox.control.launch_data(user["user"]["user_id"], "has space")
    parsed = verify(launch["init_data"], sandbox.token)
    assert parsed is not None
    assert "start_param" not in parsed


async def test_open_app_button_yields_signed_launch(
    sandbox: RunningSandbox, user: JsonDict
) -> None:
    keyboard = {"type": "inline_keyboard", "payload": {"buttons": [[
        {"type": "open_app", "text": "Gallery", "web_app": "gallery_sandbox_bot",
         "payload": "art_1"}]]}}
    async with httpx.AsyncClient(base_url=sandbox.base_url,
                                 headers={"Authorization": sandbox.token}) as api:
        sent = await api.post("/messages", params={"chat_id": user["chat_id"]},
                              json={"text": "open", "attachments": [keyboard]})
    mid = sent.json()["message"]["body"]["mid"]
    launch = await sandbox.control.press_button(user["user"]["user_id"], mid, "art_1")
    parsed = verify(launch["init_data"], sandbox.token)
    assert parsed is not None
    assert parsed["start_param"] == "art_1"
