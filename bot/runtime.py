"""The bot while the app runs: the MAX client, who the bot is, the webhook subscription or the
long poller, and the push sender. The composition root (server/bot.py) starts and stops it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

from bot.client import MaxClient
from bot.dispatcher import Dispatcher
from bot.group_gate import group_gate
from bot.handlers import routers
from bot.handlers.start import apologise
from bot.limits import limits_middleware
from bot.middlewares import database_middleware
from bot.moderation_gate import banned_gate
from bot.pacer import SharedPacer
from bot.polling import Poller
from bot.sender import OutboxSender, SenderLimits
from bot.services import BotIdentity, BotServices
from bot.texts import COMMANDS
from bot.types import BotCommand
from bot.webhook import WebhookEndpoint
from config.settings import Settings
from gallery.photos.pools import ImagePools
from storage.db import CONNECTION_ERRORS
from storage.media import MediaStore

log = logging.getLogger(__name__)


def build_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher(
        middlewares=[group_gate, database_middleware, banned_gate, limits_middleware],
        error_handler=apologise,
        reraise=CONNECTION_ERRORS,
    )
    dispatcher.include(*routers())
    return dispatcher


def make_client(
    settings: Settings, sandbox: SandboxAccess | None, pool: asyncpg.Pool
) -> MaxClient:
    """The process's one client; every call it makes is paced bot-wide (bot/pacer.py)."""
    pacer = SharedPacer(pool)
    if sandbox is not None:
        return MaxClient(sandbox.token, base_url=sandbox.base_url, pacer=pacer)
    return MaxClient(
        settings.bot_token,
        base_url=settings.bot.api_base_url,
        ca_bundle=settings.bot.ca_bundle or None,
        pacer=pacer,
    )


@dataclass(frozen=True)
class SandboxAccess:
    """Where the local MAX emulator listens, when the app runs against it."""

    base_url: str
    token: str


@dataclass(frozen=True)
class BotRuntime:
    services: BotServices
    webhook: WebhookEndpoint


@asynccontextmanager
async def running_bot(
    settings: Settings,
    pool: asyncpg.Pool,
    store: MediaStore,
    image_pools: ImagePools,
    *,
    own_url: str,
    sandbox: SandboxAccess | None = None,
) -> AsyncIterator[BotRuntime]:
    """The bot while the block runs: the MAX client, who the bot is, its commands, the webhook
    subscription (or the long poller) and the push sender; all stopped when the block ends."""
    async with make_client(settings, sandbox, pool) as client:
        me = await client.get_me()
        identity = BotIdentity(me.user_id, me.username or str(me.user_id), me.first_name)
        await client.set_commands([BotCommand(name=n, description=d) for n, d in COMMANDS.items()])
        services = BotServices(pool, client, settings, identity, store, image_pools)
        dispatcher = build_dispatcher()
        webhook = WebhookEndpoint(services, dispatcher, settings.webhook_secret)
        runtime = BotRuntime(services, webhook)
        sender = OutboxSender(pool, client, sender_limits(settings), store, identity)
        tasks = [_task(sender.run(), "sender")]
        if settings.server.public_url or sandbox is not None:
            await _subscribe(client, settings, own_url)
        else:
            await _unsubscribe_all(client)
            tasks.append(_task(Poller(services, dispatcher).run(), "long poll"))
        log.info("bot @%s ready", identity.username)
        try:
            yield runtime
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


async def _subscribe(client: MaxClient, settings: Settings, own_url: str) -> None:
    url = own_url + settings.bot.webhook_path
    for old in await client.list_subscriptions():
        if old.url != url:
            log.info("replacing webhook subscription %s", old.url)
            await client.unsubscribe(old.url)
    await client.subscribe(url, secret=settings.webhook_secret)
    log.info("webhook subscribed at %s", url)


async def _unsubscribe_all(client: MaxClient) -> None:
    """Long polling is refused while a webhook is subscribed (docs/max-platform.md, Receiving
    updates: long polling)."""
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
