"""Resources of the app that are not the database or the bot: image executors, the web
surface's services."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from gallery.photos.pools import ImagePools
from server.keys import BOT, DB_POOL, IMAGE_POOLS, MEDIA_STORE, SETTINGS
from webapp.media_urls import MediaSigner
from webapp.services import WEB, WebServices
from webapp.session_gate import SessionGate


async def image_pools_ctx(app: web.Application) -> AsyncIterator[None]:
    pools = ImagePools.create()
    app[IMAGE_POOLS] = pools
    try:
        yield
    finally:
        pools.shutdown()


async def web_ctx(app: web.Application) -> AsyncIterator[None]:
    """The mini-app's services, once the database and the bot (who it is) are up."""
    settings = app[SETTINGS]
    runtime = app.get(BOT)
    identity = None if runtime is None else runtime.services.identity
    app[WEB] = WebServices(
        settings=settings,
        pool=app[DB_POOL],
        store=app[MEDIA_STORE],
        signer=MediaSigner.from_settings(settings),
        image_pools=app[IMAGE_POOLS],
        session_gate=SessionGate.from_settings(settings),
        bot_username=None if identity is None else identity.username,
    )
    yield
