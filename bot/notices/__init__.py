"""Notices into chat messages: what a rule queued (gallery/notices/kinds.py), rendered in the
recipient's language when the sender sends it, with the buttons to answer it."""

from __future__ import annotations

from pydantic import TypeAdapter

from bot.notices import account, favorites, moderation, profiles, trades, transfers
from bot.notices.rendered import Rendered
from bot.services import BotIdentity
from gallery.notices.kinds import (
    AccessDecided,
    AccessRequested,
    ExportDone,
    Notice,
    ObjectFavorited,
    TradeDecided,
    TradeProposed,
    TransferDecided,
    TransferOffered,
    Voided,
)
from storage.models import Language

NOTICE = TypeAdapter[Notice](Notice)

__all__ = ["Rendered", "read_notice", "render"]


def read_notice(data: object) -> Notice:
    """A stored notice; ValueError when it is not one this release knows."""
    return NOTICE.validate_python(data)


def _rendered_elsewhere(
    notice: Notice, language: Language, identity: BotIdentity
) -> Rendered | None:
    if isinstance(notice, moderation.KINDS_RENDERED):
        return moderation.render(notice, language, identity)
    if isinstance(notice, ExportDone):
        return account.export_done(notice, language, identity)
    return None


def render(notice: Notice, language: Language, identity: BotIdentity) -> Rendered:
    elsewhere = _rendered_elsewhere(notice, language, identity)
    if elsewhere is not None:
        return elsewhere
    match notice:
        case TradeProposed():
            return trades.proposed(notice, language, identity)
        case TradeDecided():
            return trades.decided(notice, language)
        case Voided():
            return trades.voided(notice, language)
        case TransferOffered():
            return transfers.offered(notice, language)
        case TransferDecided():
            return transfers.decided(notice, language)
        case AccessRequested():
            return profiles.requested(notice, language)
        case AccessDecided():
            return profiles.decided(notice, language)
        case ObjectFavorited():
            return favorites.favorited(notice, language, identity)
    raise ValueError(f"no renderer for notice {notice.kind!r}")
