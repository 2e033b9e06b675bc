"""What the mini-app's pages and API share, built once by the composition root (server/)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
from aiohttp import web

from config.settings import Settings
from gallery.photos.pools import ImagePools
from storage.media import MediaStore
from webapp.media_urls import MediaSigner
from webapp.session_gate import SessionGate


@dataclass(frozen=True)
class WebServices:
    settings: Settings
    pool: asyncpg.Pool
    store: MediaStore
    signer: MediaSigner
    image_pools: ImagePools
    session_gate: SessionGate
    # who the bot is, once the bot has started: transfer links name it
    bot_username: str | None = None


WEB: web.AppKey[WebServices] = web.AppKey("web", WebServices)


def services(request: web.Request) -> WebServices:
    """The app's services, from a handler of the app or of its /api sub-app."""
    return request.config_dict[WEB]
