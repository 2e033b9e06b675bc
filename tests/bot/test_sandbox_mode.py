"""No bot token: the app starts the sandbox beside itself, subscribes its webhook to itself, and
the mini-app's launch data (signed by the sandbox) logs in. What a newcomer's first run does."""

from __future__ import annotations

import asyncpg
from pydantic import SecretStr
from pytest_aiohttp import AiohttpClient

from config.settings import Settings
from server.app import create_app
from server.keys import SANDBOX
from tests.bot.helpers import wait_for_bot_messages


async def test_the_built_in_sandbox_chats_and_signs_the_mini_app_in(
    aiohttp_client: AiohttpClient, settings: Settings, app_port: int, db: asyncpg.Connection
) -> None:
    newcomer = settings.model_copy(
        update={
            "bot": settings.bot.model_copy(
                update={"token": SecretStr(""), "api_base_url": "https://x.invalid"}
            ),
            "server": settings.server.model_copy(update={"public_url": ""}),
            "sandbox": settings.sandbox.model_copy(update={"mode": "auto", "port": 0}),
        }
    )
    assert newcomer.uses_sandbox
    client = await aiohttp_client(create_app(newcomer), server_kwargs={"port": app_port})
    sandbox = client.app[SANDBOX]
    assert sandbox.state.subscription is not None
    assert sandbox.state.subscription.url == f"http://127.0.0.1:{app_port}/max/webhook"

    user_id = (await sandbox.control.create_user("Newcomer", language_code="en"))["user"]["user_id"]
    await sandbox.control.send_text(user_id, "/start")
    [greeting] = await wait_for_bot_messages(sandbox.control, user_id)
    assert greeting["text"].startswith("Hello, Newcomer!")

    launch = await sandbox.control.launch_data(user_id, "o_1")
    assert launch["url"].startswith(f"http://127.0.0.1:{app_port}/app?WebAppStartParam=o_1#")
    response = await client.post("/api/auth", json={"init_data": launch["init_data"]})
    assert response.status == 200, await response.text()
    assert (await response.json())["start_param"] == "o_1"
