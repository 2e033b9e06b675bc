"""All routers in the order they are tried; plain text and the fallback come last."""

from __future__ import annotations

from bot.dispatcher import Router
from bot.handlers import (
    account,
    collection,
    groups,
    moderation,
    moderation_actions,
    photos,
    profiles,
    reports,
    settings,
    share,
    start,
    trades,
    transfers,
)


def routers() -> list[Router]:
    return [
        groups.router,  # first: in a group chat nothing else answers
        transfers.router,  # before start: its catch-all greets an unknown payload
        profiles.router,  # before start: its u_ link handler replaces the plain greeting
        share.router,
        start.router,
        account.router,
        photos.router,
        trades.router,
        reports.router,
        settings.router,
        moderation.router,  # before collection: its text router answers unknown commands
        moderation_actions.router,
        collection.router,
        collection.text_router,
        start.fallback,
    ]
