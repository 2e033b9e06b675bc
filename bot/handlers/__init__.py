"""All routers in the order they are tried; plain text and the fallback come last."""

from __future__ import annotations

from bot.dispatcher import Router
from bot.handlers import collection, photos, start, trades


def routers() -> list[Router]:
    return [
        start.router,
        photos.router,
        trades.router,
        collection.router,
        collection.text_router,
        start.fallback,
    ]
