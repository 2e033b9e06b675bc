"""The bot's resources on the app: the sandbox (when there is no token), the MAX client, who the
bot is, the webhook subscription or the long poller, and the push sender."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Coroutine
from typing import Any

from aiohttp import web

from bot.client import MaxClient
from bot.dispatcher import Dispatcher
from bot.handlers import routers
from bot.handlers.start import apologise
from bot.middlewares import database_middleware, user_middleware
from bot.polling import Poller
from bot.sender import OutboxSender, SenderLimits
from bot.services import BotIdentity, BotServices
from bot.texts import COMMANDS
from bot.types import BotCommand
from bot.webhook import WebhookEndpoint
from gallery.keys import BOT, DB_POOL, IMAGE_POOLS, MEDIA_STORE, SANDBOX, SETTINGS, WEBHOOK
from gallery.settings import Settings
from sandbox.config import SandboxConfig
from sandbox.runner import run_sandbox
from storage.db import CONNECTION_ERRORS

log = logging.getLogger(__name__)


def own_url(settings: Settings) -> str:
    if settings.server.public_url:
        return settings.server.public_url
    host = "127.0.0.1" if settings.server.host in ("0.0.0.0", "::", "") else settings.server.host  # noqa: S104
    return f"http://{host}:{settings.server.port}"


async def sandbox_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    if not settings.uses_sandbox:
        yield
        return
    # quick redelivery: a developer restarting the app should not wait MAX's 60 s
    # the sandbox forgets its users on restart but the database keeps theirs: number new ones
    # after the clock so they never collide with last run's
    run = int(time.time()) % 1_000_000 * 1_000
    config = SandboxConfig(
        token=settings.bot_token,
        webapp_url=f"{own_url(settings)}/app",
        retry_base_s=1.0,
        first_user_id=100_000_000_000 + run,
        first_chat_id=9_100_000_000_000 + run,
    )
    async with run_sandbox(config, settings.sandbox.host, settings.sandbox.port) as sandbox:
        app[SANDBOX] = sandbox
        log.info(
            "MAX sandbox on %s — chat with the bot at %s/_sandbox/",
            sandbox.base_url,
            sandbox.base_url,
        )
        yield


def build_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher(
        middlewares=[database_middleware, user_middleware],
        error_handler=apologise,
        reraise=CONNECTION_ERRORS,
    )
    dispatcher.include(*routers())
    return dispatcher


def make_client(app: web.Application) -> MaxClient:
    settings = app[SETTINGS]
    sandbox = app.get(SANDBOX)
    if sandbox is not None:
        return MaxClient(sandbox.token, base_url=sandbox.base_url)
    return MaxClient(
        settings.bot_token,
        base_url=settings.bot.api_base_url,
        ca_bundle=settings.bot.ca_bundle or None,
    )


async def bot_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    async with make_client(app) as client:
        me = await client.get_me()
        identity = BotIdentity(me.user_id, me.username or str(me.user_id), me.first_name)
        await client.set_commands([BotCommand(name=n, description=d) for n, d in COMMANDS.items()])
        services = BotServices(
            app[DB_POOL], client, settings, identity, app[MEDIA_STORE], app[IMAGE_POOLS]
        )
        dispatcher = build_dispatcher()
        app[BOT] = services
        app[WEBHOOK] = WebhookEndpoint(services, dispatcher, settings.webhook_secret)
        sender = OutboxSender(services.pool, client, sender_limits(settings), app[MEDIA_STORE])
        tasks = [_task(sender.run(), "sender")]
        if settings.server.public_url or app.get(SANDBOX) is not None:
            await _subscribe(client, settings)
        else:
            await _unsubscribe_all(client)
            tasks.append(_task(Poller(services, dispatcher).run(), "long poll"))
        log.info("bot @%s ready", identity.username)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task


def sender_limits(settings: Settings) -> SenderLimits:
    return SenderLimits(
        max_attempts=settings.jobs.outbox_max_attempts, poll_s=settings.jobs.outbox_poll_s
    )


async def _subscribe(client: MaxClient, settings: Settings) -> None:
    url = own_url(settings) + settings.bot.webhook_path
    for old in await client.list_subscriptions():
        if old.url != url:
            log.info("replacing webhook subscription %s", old.url)
            await client.unsubscribe(old.url)
    await client.subscribe(url, secret=settings.webhook_secret)
    log.info("webhook subscribed at %s", url)


async def _unsubscribe_all(client: MaxClient) -> None:
    """Long polling is refused while a webhook is subscribed (max-platform.md §2)."""
    for old in await client.list_subscriptions():
        log.warning("no public_url set: removing webhook %s and long-polling instead", old.url)
        await client.unsubscribe(old.url)


def _task(coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
    task = asyncio.create_task(coro, name=name)
    task.add_done_callback(_report_crash)
    return task


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s stopped", task.get_name(), exc_info=task.exception())


async def webhook_view(request: web.Request) -> web.Response:
    endpoint = request.app.get(WEBHOOK)
    if endpoint is None:
        raise web.HTTPNotFound()
    return await endpoint.handle(request)
