"""Errors as MAX sends them arrive as typed errors; nothing that may have reached MAX is resent."""

import pytest

from bot.client import MaxClient
from bot.errors import (
    MaxBadRequest,
    MaxForbidden,
    MaxNotFound,
    MaxOperationFailed,
    MaxRateLimited,
    MaxUnauthorized,
    MaxUnavailable,
)
from sandbox.runner import RunningSandbox
from tests.client.conftest import SandboxUser


async def sends_logged(sandbox: RunningSandbox) -> list[int]:
    log = await sandbox.control.requests_log()
    return [
        entry["status"]
        for entry in log
        if (entry["method"], entry["path"]) == ("POST", "/messages")
    ]


async def test_wrong_token_is_unauthorized_with_max_body(sandbox: RunningSandbox) -> None:
    async with MaxClient("wrong", base_url=sandbox.base_url) as client:
        with pytest.raises(MaxUnauthorized) as caught:
            await client.get_me()

    error = caught.value
    assert (error.status, error.code, error.message) == (
        401,
        "verify.token",
        "Invalid access_token",
    )
    assert not error.safe_to_retry


async def test_bearer_prefixed_token_is_refused_so_the_bare_one_is_what_works(
    sandbox: RunningSandbox, max_client: MaxClient
) -> None:
    async with MaxClient(f"Bearer {sandbox.token}", base_url=sandbox.base_url) as bearer:
        with pytest.raises(MaxUnauthorized):
            await bearer.get_me()

    me = await max_client.get_me()

    assert me.is_bot


async def test_text_over_4000_is_bad_request_proto_payload(
    max_client: MaxClient, user: SandboxUser
) -> None:
    with pytest.raises(MaxBadRequest) as caught:
        await max_client.send_message(user_id=user.user_id, text="x" * 4001)

    error = caught.value
    assert (error.status, error.code) == (400, "proto.payload")
    assert "4000" in error.message


async def test_poll_timeout_over_90_is_bad_request(max_client: MaxClient) -> None:
    with pytest.raises(MaxBadRequest) as caught:
        await max_client.get_updates(timeout=91)

    assert caught.value.code == "proto.payload"
    assert caught.value.message == "Field 'timeout' value (91) must be at most 90"


async def test_injected_429_surfaces_with_a_wait_and_is_not_resent(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await sandbox.control.inject_fault("http", status=429, method="POST", path="/messages")

    with pytest.raises(MaxRateLimited) as caught:
        await max_client.send_message(user_id=user.user_id, text="hello")

    assert caught.value.code == "too.many.requests"
    assert caught.value.retry_after == 1.0
    assert caught.value.safe_to_retry
    assert await sends_logged(sandbox) == [429]


async def test_third_send_in_a_second_to_one_chat_is_rate_limited(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await max_client.send_message(user_id=user.user_id, text="one")
    await max_client.send_message(user_id=user.user_id, text="two")

    with pytest.raises(MaxRateLimited) as caught:
        await max_client.send_message(user_id=user.user_id, text="three")

    assert caught.value.retry_after > 0
    assert await sends_logged(sandbox) == [200, 200, 429]


async def test_injected_503_surfaces_as_unavailable_and_is_not_resent(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await sandbox.control.inject_fault("http", status=503, method="POST", path="/messages")

    with pytest.raises(MaxUnavailable) as caught:
        await max_client.send_message(user_id=user.user_id, text="hello")

    assert (caught.value.status, caught.value.code) == (503, "service.unavailable")
    assert caught.value.retry_after == 5.0
    assert caught.value.safe_to_retry
    assert await sends_logged(sandbox) == [503]
    assert await sandbox.control.chat_messages(user_id=user.user_id) == []


async def test_user_who_stopped_the_bot_is_forbidden(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await sandbox.control.block(user.user_id)

    with pytest.raises(MaxForbidden) as caught:
        await max_client.send_message(user_id=user.user_id, text="are you there?")

    assert (caught.value.status, caught.value.code) == (403, "chat.denied")


async def test_unknown_message_is_not_found(max_client: MaxClient) -> None:
    with pytest.raises(MaxNotFound) as caught:
        await max_client.get_message("mid.00000000000000000000000000000000")

    assert caught.value.status == 404


async def test_success_false_is_raised_as_operation_failed(max_client: MaxClient) -> None:
    with pytest.raises(MaxOperationFailed) as caught:
        await max_client.unsubscribe("https://example.com/never-subscribed")

    assert caught.value.message == "No subscription for url https://example.com/never-subscribed"
