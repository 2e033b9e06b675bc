"""Trade holds in chat (docs/holds.md): the time left on a hold, the refusal, the card's line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.markup import Markup
from bot.texts import label, t
from gallery.ownership.holds import OnHold, held_until
from storage.models import Language


def time_left(language: Language, until: datetime, now: datetime | None = None) -> str:
    """Like "5 h 12 min", rounded up: a hold never shows "0 min" while it lasts."""
    seconds = (until - (now or datetime.now(UTC))).total_seconds()
    hours, minutes = divmod(max(1, -(-int(seconds) // 60)), 60)
    if hours:
        return label("hold.hours", language, hours=hours, minutes=minutes)
    return label("hold.minutes", language, minutes=minutes)


def _at(until: datetime) -> str:
    return f"{until.astimezone(UTC):%Y-%m-%d %H:%M}"


def refusal(language: Language, exc: OnHold) -> str:
    """The toast for a refused transfer: which object, until when, and how long that is."""
    return label(
        "hold.refused", language, title=exc.title, until=_at(exc.until),
        left=time_left(language, exc.until),
    )  # fmt: skip


def card_line(language: Language, until: datetime) -> Markup:
    """The line an object card carries while its object is held."""
    return t("hold.card", language, until=_at(until), left=time_left(language, until))


def received_line(language: Language, hold_hours: int) -> Markup | None:
    """What a person who just received objects is told about their hold, if holds are on."""
    until = held_until(datetime.now(UTC), hold_hours, datetime.now(UTC) - timedelta(seconds=1))
    if until is None:
        return None
    return t("hold.received", language, until=_at(until), left=time_left(language, until))
