"""All routers in the order they are tried; the fallback comes last."""

from __future__ import annotations

from bot.dispatcher import Router
from bot.handlers import start


def routers() -> list[Router]:
    return [start.router, start.fallback]
