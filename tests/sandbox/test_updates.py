import asyncio
import time

import httpx

from sandbox.runner import RunningSandbox
from tests.sandbox.conftest import JsonDict
from tests.sandbox.schema import assert_valid


async def poll(api: httpx.AsyncClient, **params: str | int) -> JsonDict:
    response = await api.get("/updates", params=params)
    assert response.status_code == 200, response.text
    body: JsonDict = response.json()
    assert_valid("UpdateList", body)
    return body


async def test_marker_commits_earlier_updates(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    user_id = user["user"]["user_id"]
    await sandbox.control.send_text(user_id, "one")
    await sandbox.control.send_text(user_id, "two")
    first = await poll(api, timeout=0, limit=1)
    assert [u["message"]["body"]["text"] for u in first["updates"]] == ["one"]
    again = await poll(api, timeout=0)
    assert [u["message"]["body"]["text"] for u in again["updates"]] == ["one", "two"]
    rest = await poll(api, timeout=0, marker=first["marker"])
    assert [u["message"]["body"]["text"] for u in rest["updates"]] == ["two"]
    empty = await poll(api, timeout=0, marker=rest["marker"])
    assert empty == {"updates": [], "marker": rest["marker"]}


async def test_long_poll_waits_for_a_new_update(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    waiting = asyncio.create_task(poll(api, timeout=5))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await sandbox.control.send_text(user["user"]["user_id"], "wake up")
    result = await asyncio.wait_for(waiting, 2)
    (update,) = result["updates"]
    assert update["update_type"] == "message_created"
    assert update["message"]["body"]["text"] == "wake up"
    assert update["message"]["recipient"]["user_id"] == 229229229
    assert update["user_locale"] == "ru"


async def test_long_poll_times_out_empty(api: httpx.AsyncClient) -> None:
    started = time.monotonic()
    result = await poll(api, timeout=1)
    assert 0.9 <= time.monotonic() - started < 3
    assert result["updates"] == []


async def test_types_filter(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    user_id = user["user"]["user_id"]
    await sandbox.control.start_bot(user_id, "ref_42")
    await sandbox.control.send_text(user_id, "hi")
    started = await poll(api, timeout=0, types="bot_started")
    (update,) = started["updates"]
    assert update["payload"] == "ref_42"
    assert update["chat_id"] == user["chat_id"]


async def test_start_payload_over_128_chars_is_dropped(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.start_bot(user["user"]["user_id"], "p" * 129)
    (update,) = (await poll(api, timeout=0))["updates"]
    assert update["update_type"] == "bot_started"
    assert update["payload"] is None


async def test_polling_is_refused_while_a_webhook_is_subscribed(
    api: httpx.AsyncClient
) -> None:
    await api.post("/subscriptions", json={"url": "https://bot.example/hook"})
    refused = await api.get("/updates", params={"timeout": 0})
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "webhook.subscribed",
        "message": "Long polling is unavailable while a webhook subscription is active"}
    await api.delete("/subscriptions", params={"url": "https://bot.example/hook"})
    assert (await api.get("/updates", params={"timeout": 0})).status_code == 200


async def test_blocking_the_bot_sends_bot_stopped(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.block(user["user"]["user_id"])
    (update,) = (await poll(api, timeout=0))["updates"]
    assert update["update_type"] == "bot_stopped"
    assert update["user"]["user_id"] == user["user"]["user_id"]
