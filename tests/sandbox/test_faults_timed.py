"""Faults that last a while instead of a number of requests: MAX refusing with 429 or 503 for
some seconds, holding requests past a client's read timeout, or acting and answering too late."""

import asyncio
import time

import httpx
import pytest

from sandbox.runner import RunningSandbox
from tests.sandbox.conftest import JsonDict

REFUSED_429 = {"code": "too.many.requests", "message": "Too many requests (injected)"}
REFUSED_503 = {"code": "service.unavailable", "message": "Service temporarily unavailable"}


async def send(api: httpx.AsyncClient, user: JsonDict, text: str, wait_s: float = 10.0) -> int:
    sent = await api.post("/messages", params={"chat_id": user["chat_id"]}, json={"text": text},
                          timeout=wait_s)
    return sent.status_code


async def said(sandbox: RunningSandbox, user: JsonDict) -> list[str]:
    return [e["text"] for e in await sandbox.control.chat_messages(chat_id=user["chat_id"])]


async def test_a_timed_429_refuses_every_match_with_retry_after_until_it_ends(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    await sandbox.control.inject_fault("http", status=429, duration_s=0.6, retry_after_s=7)
    answers = [await api.get("/me") for _ in range(5)]
    assert [(a.status_code, a.headers.get("Retry-After"), a.json()) for a in answers] == \
        [(429, "7", REFUSED_429)] * 5
    await asyncio.sleep(0.7)
    assert (await api.get("/me")).status_code == 200
    assert (await sandbox.control.stats())["limit_violations"] == []


async def test_a_scheduled_503_opens_and_closes_its_window(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.inject_fault("http", status=503, starts_in_s=0.4, duration_s=0.4,
                                       method="POST", path="/messages")
    assert await send(api, user, "before") == 200
    await asyncio.sleep(0.5)
    refused = await api.post("/messages", params={"chat_id": user["chat_id"]}, json={"text": "x"})
    assert (refused.status_code, refused.json()) == (503, REFUSED_503)
    assert "Retry-After" not in refused.headers  # MAX documents none; only when asked for
    assert (await api.get("/me")).status_code == 200  # another path is untouched
    await asyncio.sleep(0.4)
    assert await send(api, user, "after") == 200
    assert await said(sandbox, user) == ["before", "after"]


async def test_a_count_ends_a_timed_fault_early(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    await sandbox.control.inject_fault("http", status=503, duration_s=60, count=2)
    assert [(await api.get("/me")).status_code for _ in range(3)] == [503, 503, 200]
    assert (await sandbox.control.faults())["http"] == []


async def test_a_hang_outlasts_the_read_timeout_and_sends_nothing(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.inject_fault("hang", delay_s=0.6, duration_s=5, method="POST",
                                       path="/messages")
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        await send(api, user, "lost", wait_s=0.2)
    assert (await api.get("/messages", params={"chat_id": user["chat_id"]})).status_code == 200
    await asyncio.sleep(max(0.0, 0.7 - (time.monotonic() - started)))  # the hold runs out
    assert await said(sandbox, user) == []
    [held] = [r for r in await sandbox.control.requests_log() if r["method"] == "POST"]
    assert (held["status"], held["fault"]) == (503, "hang")
    assert held["duration_ms"] >= 600


async def test_an_answer_late_sends_the_message_yet_the_client_times_out(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    await sandbox.control.inject_fault("answer_late", delay_s=0.6, count=1, method="POST",
                                       path="/messages")
    with pytest.raises(httpx.ReadTimeout):
        await send(api, user, "reached MAX", wait_s=0.2)
    assert await said(sandbox, user) == ["reached MAX"]  # before MAX's answer is even written
    assert await send(api, user, "next") == 200
    await asyncio.sleep(0.5)
    log = [(r["status"], r["fault"]) for r in await sandbox.control.requests_log()
           if r["method"] == "POST"]
    assert sorted(log, key=str) == [(200, "answer_late"), (200, None)]


async def test_an_answer_late_still_counts_against_the_chat_limit(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> None:
    sandbox.state.config.rate_per_chat = 1
    await sandbox.control.inject_fault("answer_late", delay_s=0.3, count=1)
    with pytest.raises(httpx.ReadTimeout):
        await send(api, user, "first", wait_s=0.1)
    assert await send(api, user, "second") == 429
    assert [v["kind"] for v in (await sandbox.control.stats())["limit_violations"]] == ["chat"]


@pytest.mark.parametrize(("body", "message"), [
    ({"kind": "http", "status": 500, "duration_s": 1}, "status must be 429 or 503"),
    ({"kind": "hang", "duration_s": -1}, "duration_s must be a number of seconds from 0 to 3600"),
    ({"kind": "hang", "delay_s": "long"}, "delay_s must be a number of seconds from 0 to 3600"),
    ({"kind": "http", "status": 429, "retry_after_s": 1.5},
     "retry_after_s must be whole seconds from 0 to 3600"),
    ({"kind": "http", "duration_s": 1, "count": -1}, "count must be a non-negative integer"),
    ({"kind": "slow"}, "kind must be one of http, hang, answer_late, attachment_not_ready, "
                       "webhook_duplicates"),
])
async def test_a_malformed_fault_is_refused(
    sandbox: RunningSandbox, body: JsonDict, message: str
) -> None:
    refused = await sandbox.control.http.post("/_sandbox/faults", json=body)
    assert (refused.status_code, refused.json()) == (400, {"code": "proto.payload",
                                                           "message": message})
    assert (await sandbox.control.faults())["http"] == []


async def test_reset_ends_a_timed_fault(sandbox: RunningSandbox, api: httpx.AsyncClient) -> None:
    await sandbox.control.inject_fault("http", status=503, duration_s=60)
    assert (await api.get("/me")).status_code == 503
    await sandbox.control.reset()
    assert (await api.get("/me")).status_code == 200
