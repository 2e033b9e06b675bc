"""Long polling (marker kept in the database across restarts) and what the bot does at start."""

from __future__ import annotations

from urllib.parse import parse_qs

import asyncpg
from pytest_aiohttp import AiohttpClient

from bot.client import MaxClient
from bot.texts import COMMANDS
from config.settings import Settings
from sandbox.runner import RunningSandbox
from server.app import create_app
from storage.updates import MARKER_KEY
from tests.bot.helpers import settle, wait_for_bot_messages


def polling(settings: Settings) -> Settings:
    """No public URL: the bot long-polls, as in development with a real token."""
    return settings.model_copy(
        update={
            "server": settings.server.model_copy(update={"public_url": ""}),
            "bot": settings.bot.model_copy(update={"long_poll_timeout_s": 1}),
        }
    )


async def stored_marker(db: asyncpg.Connection) -> int | None:
    value = await db.fetchval("SELECT value FROM bot_state WHERE key = $1", MARKER_KEY)
    return None if value is None else int(value)


async def test_polling_restart_resumes_at_the_stored_marker(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    app_port: int,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
) -> None:
    user_id = (await sandbox.control.create_user("Bob", language_code="en"))["user"]["user_id"]
    first = await aiohttp_client(create_app(polling(settings)), server_kwargs={"port": app_port})
    assert sandbox.state.subscription is None
    await sandbox.control.send_text(user_id, "/help")
    await wait_for_bot_messages(sandbox.control, user_id)
    marker = await stored_marker(db)
    assert marker is not None
    await first.close()

    await sandbox.control.send_text(user_id, "/start")  # arrives while the bot is down
    await aiohttp_client(create_app(polling(settings)), server_kwargs={"port": app_port})
    replies = await wait_for_bot_messages(sandbox.control, user_id, 2)
    assert len(await settle(sandbox.control, user_id)) == 2
    assert [r["text"].split()[0] for r in replies] == ["What", "Hello,"]
    polls = [parse_qs(r["query"]) for r in sandbox.state.request_log if r["path"] == "/updates"]
    markers = [p.get("marker", [None])[0] for p in polls]
    assert str(marker) in markers  # the second run started from the stored marker
    assert markers[0] is None  # only the very first poll ever had no marker
    assert await stored_marker(db) is not None
    assert (await stored_marker(db) or 0) > marker


async def test_polling_replaces_a_leftover_webhook(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    app_port: int,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
) -> None:
    async with MaxClient(sandbox.token, base_url=sandbox.base_url) as max_client:
        await max_client.subscribe("http://127.0.0.1:1/old", secret="old-secret")
    await aiohttp_client(create_app(polling(settings)), server_kwargs={"port": app_port})
    assert sandbox.state.subscription is None
    user_id = (await sandbox.control.create_user("Bob", language_code="en"))["user"]["user_id"]
    await sandbox.control.send_text(user_id, "/help")
    await wait_for_bot_messages(sandbox.control, user_id)


async def test_start_up_sets_commands_and_replaces_a_changed_webhook_url(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    app_port: int,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
) -> None:
    async with MaxClient(sandbox.token, base_url=sandbox.base_url) as max_client:
        await max_client.subscribe("http://127.0.0.1:1/previous-deploy", secret="old-secret")
        await aiohttp_client(create_app(settings), server_kwargs={"port": app_port})
        [subscription] = await max_client.list_subscriptions()
        me = await max_client.get_me()
    assert subscription.url == f"http://127.0.0.1:{app_port}/max/webhook"
    assert [c.name for c in me.commands or []] == list(COMMANDS)
