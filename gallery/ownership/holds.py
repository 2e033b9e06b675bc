"""Trade holds (docs/holds.md): an object received by a trade or transfer cannot change hands
again for `rules.hold_hours`, so a scammer cannot pass a swindled object on at once.

The hold is worked out from `received_at` (set by the move itself, storage/ownership.py) and the
clock, never stored as an end time: it needs no job, survives restarts, and a changed hold_hours
(0 turns holds off) applies to every object at once. It is checked where an object is named in a
new trade (on either side, counter-proposals too) or a new transfer; pending ones that named it
were voided when it moved (gallery/ownership/moves.py), and new ones cannot be made while held.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from storage.errors import Conflict


class OnHold(Conflict):
    """409 object_on_hold: names the object and when its hold ends."""

    code = "object_on_hold"

    def __init__(self, title: str, until: datetime, now: datetime) -> None:
        self.title = title
        self.until = until
        left = _left(until - now)
        super().__init__(
            f"«{title}» changed hands recently and is on hold until "
            f"{until.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({left} left): an object received by a "
            "trade or transfer cannot be traded or transferred again until then"
        )


def _left(delta: timedelta) -> str:
    minutes = max(1, -(-int(delta.total_seconds()) // 60))  # rounded up: never "0 min left"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def held_until(
    received_at: datetime | None, hold_hours: int, now: datetime | None = None
) -> datetime | None:
    """When the hold on an object received at `received_at` ends, or None when it is not held."""
    if received_at is None or hold_hours <= 0:
        return None
    until = received_at + timedelta(hours=hold_hours)
    return until if until > (now or datetime.now(UTC)) else None


def check_not_held(
    objects: Iterable[tuple[str, datetime | None]], hold_hours: int, now: datetime | None = None
) -> None:
    """Refuse with OnHold for the first (title, received_at) still on hold."""
    now = now or datetime.now(UTC)
    for title, received_at in objects:
        until = held_until(received_at, hold_hours, now)
        if until is not None:
            raise OnHold(title, until, now)
