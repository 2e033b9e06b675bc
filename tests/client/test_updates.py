"""Long polling with markers, webhook subscriptions, commands and the bot's own profile."""

import asyncio
import time

import pytest

from bot.client import MaxClient
from bot.errors import MaxBadRequest
from bot.transport import MaxTimeouts
from bot.types import BotCommand, BotStartedUpdate, MessageCreatedUpdate, Subscription
from sandbox.runner import RunningSandbox
from tests.client.conftest import FAST_RETRY, SandboxUser

HOOK = "https://gallery.example.com/max/webhook"


def texts(updates: object) -> list[str | None]:
    assert isinstance(updates, list)
    return [u.message.text for u in updates if isinstance(u, MessageCreatedUpdate)]


async def test_marker_commits_earlier_updates_so_none_repeat(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await sandbox.control.send_text(user.user_id, "one")
    await sandbox.control.send_text(user.user_id, "two")

    first = await max_client.get_updates(timeout=0)
    again = await max_client.get_updates(marker=first.marker, timeout=0)
    await sandbox.control.send_text(user.user_id, "three")
    later = await max_client.get_updates(marker=again.marker, timeout=0)

    assert texts(first.updates) == ["one", "two"]
    assert again.updates == []
    assert again.marker == first.marker
    assert texts(later.updates) == ["three"]
    assert later.marker is not None
    assert first.marker is not None
    assert later.marker > first.marker


async def test_limit_splits_a_batch_and_the_marker_walks_through_it(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    for text in ("a", "b", "c"):
        await sandbox.control.send_text(user.user_id, text)

    head = await max_client.get_updates(timeout=0, limit=2)
    tail = await max_client.get_updates(marker=head.marker, timeout=0, limit=2)

    assert (texts(head.updates), texts(tail.updates)) == (["a", "b"], ["c"])


async def test_empty_poll_waits_its_timeout_then_returns_nothing(max_client: MaxClient) -> None:
    started = time.monotonic()

    batch = await max_client.get_updates(timeout=1)

    assert batch.updates == []
    assert time.monotonic() - started >= 0.9


async def test_poll_wakes_when_an_update_arrives(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(max_client.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    await sandbox.control.send_text(user.user_id, "wake up")

    batch = await poll

    assert texts(batch.updates) == ["wake up"]
    assert time.monotonic() - started < 5


async def test_poll_outlives_the_ordinary_read_timeout(sandbox: RunningSandbox) -> None:
    timeouts = MaxTimeouts(read=0.2, poll_margin=1.0)
    async with MaxClient(
        sandbox.token, base_url=sandbox.base_url, timeouts=timeouts, retry=FAST_RETRY
    ) as client:
        batch = await client.get_updates(timeout=1)

    assert batch.updates == []


async def test_types_filter_and_bot_started_payload(
    sandbox: RunningSandbox, max_client: MaxClient, user: SandboxUser
) -> None:
    await sandbox.control.send_text(user.user_id, "ignored by the filter")
    await sandbox.control.start_bot(user.user_id, payload="ref_abc123")

    batch = await max_client.get_updates(timeout=0, types=["bot_started"])

    [started] = batch.updates
    assert isinstance(started, BotStartedUpdate)
    assert (started.chat_id, started.user.user_id, started.payload) == (
        user.chat_id,
        user.user_id,
        "ref_abc123",
    )
    assert started.user_locale == "ru"


async def test_subscribe_list_unsubscribe(max_client: MaxClient) -> None:
    await max_client.subscribe(HOOK, secret="s3cret-value_1", update_types=["message_created"])

    [subscription] = await max_client.list_subscriptions()
    await max_client.unsubscribe(HOOK)
    remaining = await max_client.list_subscriptions()

    assert isinstance(subscription, Subscription)
    assert (subscription.url, subscription.update_types) == (HOOK, ["message_created"])
    assert subscription.time > 0
    assert remaining == []


async def test_polling_is_refused_while_a_webhook_is_subscribed(max_client: MaxClient) -> None:
    await max_client.subscribe(HOOK)

    with pytest.raises(MaxBadRequest):
        await max_client.get_updates(timeout=0)


async def test_secret_outside_maxs_charset_is_refused(max_client: MaxClient) -> None:
    with pytest.raises(MaxBadRequest) as caught:
        await max_client.subscribe(HOOK, secret="has space")

    assert caught.value.code == "proto.payload"


async def test_set_commands_then_get_me_shows_them(max_client: MaxClient) -> None:
    commands = [BotCommand(name="start", description="Open the gallery"), BotCommand(name="help")]

    stored = await max_client.set_commands(commands)
    me = await max_client.get_me()

    assert stored == commands
    assert me.commands == commands
    assert (me.user_id, me.is_bot, me.username) == (229229229, True, "gallery_sandbox_bot")


async def test_empty_command_list_clears_them(max_client: MaxClient) -> None:
    await max_client.set_commands([BotCommand(name="start")])

    assert await max_client.set_commands([]) == []
    assert (await max_client.get_me()).commands == []
