"""The bot on the app: started after the database (and the sandbox, in sandbox mode), its
webhook route answered from the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from bot.runtime import SandboxAccess, running_bot
from server.keys import BOT, DB_POOL, IMAGE_POOLS, MEDIA_STORE, SANDBOX, SETTINGS
from server.sandbox import own_url


async def bot_ctx(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    sandbox = app.get(SANDBOX)
    access = None if sandbox is None else SandboxAccess(sandbox.base_url, sandbox.token)
    async with running_bot(
        settings, app[DB_POOL], app[MEDIA_STORE], app[IMAGE_POOLS],
        own_url=own_url(settings), sandbox=access,
    ) as runtime:  # fmt: skip
        app[BOT] = runtime
        yield


async def webhook_view(request: web.Request) -> web.Response:
    runtime = request.app.get(BOT)
    if runtime is None:
        raise web.HTTPNotFound()
    return await runtime.webhook.handle(request)
