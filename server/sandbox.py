"""The local MAX emulator, started in-process when there is no bot token (sandbox mode)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from config.settings import Settings
from sandbox.config import SandboxConfig
from sandbox.runner import run_sandbox
from server.keys import SANDBOX, SETTINGS

log = logging.getLogger(__name__)


def own_url(settings: Settings) -> str:
    """Where MAX (or the sandbox) reaches this app: the public URL, else the local address."""
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
