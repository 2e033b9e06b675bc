import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox
from tests.sandbox.conftest import JsonDict
from tests.sandbox.schema import assert_valid


@pytest.fixture
async def strict_sandbox() -> AsyncIterator[RunningSandbox]:
    async with run_sandbox(SandboxConfig()) as running:
        yield running


@pytest.fixture
async def strict_api(strict_sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=strict_sandbox.base_url,
                                 headers={"Authorization": strict_sandbox.token}) as client:
        yield client


async def test_more_than_30_requests_per_second_is_429(
    strict_sandbox: RunningSandbox, strict_api: httpx.AsyncClient
) -> None:
    statuses = [r.status_code for r in await asyncio.gather(
        *(strict_api.get("/me") for _ in range(31)))]
    assert statuses.count(200) == 30
    assert statuses.count(429) == 1
    refused = await strict_api.get("/me")
    assert refused.status_code == 429
    assert refused.json() == {"code": "too.many.requests",
                              "message": "Too many requests: bot limit exceeded"}
    assert_valid("Error", refused.json())
    stats = await strict_sandbox.control.stats()
    assert [v["kind"] for v in stats["limit_violations"]] == ["bot", "bot"]


async def test_more_than_2_sends_per_second_in_one_chat_is_429(
    strict_sandbox: RunningSandbox, strict_api: httpx.AsyncClient
) -> None:
    created = await strict_sandbox.control.create_user("Ann")
    params = {"chat_id": created["chat_id"]}
    statuses = [(await strict_api.post("/messages", params=params, json={"text": str(i)}))
                .status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    await asyncio.sleep(1.0)
    assert (await strict_api.post("/messages", params=params, json={"text": "later"})) \
        .status_code == 200
    stats = await strict_sandbox.control.stats()
    assert [(v["kind"], v["key"]) for v in stats["limit_violations"]] == [
        ("chat", created["chat_id"])]


async def test_paced_sends_cause_no_violation(
    strict_sandbox: RunningSandbox, strict_api: httpx.AsyncClient
) -> None:
    created = await strict_sandbox.control.create_user("Ann")
    for i in range(3):
        sent = await strict_api.post("/messages", params={"chat_id": created["chat_id"]},
                                     json={"text": str(i)})
        assert sent.status_code == 200
        await asyncio.sleep(0.51)
    assert (await strict_sandbox.control.stats())["limit_violations"] == []


async def test_injected_503_then_recovery(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.inject_fault("http", count=2, status=503, method="POST",
                                       path="/messages")
    params = {"chat_id": user["chat_id"]}
    first = await api.post("/messages", params=params, json={"text": "a"})
    assert first.status_code == 503
    assert first.json() == {"code": "service.unavailable",
                            "message": "Service temporarily unavailable"}
    assert (await api.get("/me")).status_code == 200
    assert (await api.post("/messages", params=params, json={"text": "a"})).status_code == 503
    assert (await api.post("/messages", params=params, json={"text": "a"})).status_code == 200
    log = await sandbox.control.chat_messages(chat_id=user["chat_id"])
    assert [e["text"] for e in log] == ["a"]


async def test_injected_429_on_any_path(sandbox: RunningSandbox, api: httpx.AsyncClient) -> None:
    await sandbox.control.inject_fault("http", count=1, status=429)
    refused = await api.get("/subscriptions")
    assert refused.status_code == 429
    assert refused.json()["code"] == "too.many.requests"
    assert (await api.get("/subscriptions")).status_code == 200
    assert (await sandbox.control.stats())["limit_violations"] == []


async def test_reset_clears_everything(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.send_text(user["user"]["user_id"], "hi")
    await sandbox.control.reset()
    stats = await sandbox.control.stats()
    assert (stats["users"], stats["messages"], stats["pending_updates"]) == (0, 0, 0)
    assert (await api.get("/updates", params={"timeout": 0})).json()["updates"] == []
