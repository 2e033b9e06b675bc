"""What the chat says about a hold, in both languages: the time left rounded up, the card line
(bot/cards.py adds it under a held object's card and drops its Transfer button)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.holds import card_line, refusal, time_left
from gallery.ownership.holds import OnHold, check_not_held, held_until

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
UNTIL = NOW + timedelta(hours=5, minutes=11, seconds=5)


@pytest.mark.parametrize(
    ("left", "en", "ru"),
    [
        (timedelta(hours=5, minutes=11, seconds=5), "5 h 12 min", "5 ч 12 мин"),
        (timedelta(minutes=59), "59 min", "59 мин"),
        (timedelta(seconds=1), "1 min", "1 мин"),
        (timedelta(hours=24), "24 h 0 min", "24 ч 0 мин"),
    ],
)
def test_time_left_is_rounded_up(left: timedelta, en: str, ru: str) -> None:
    assert time_left("en", NOW + left, NOW) == en
    assert time_left("ru", NOW + left, NOW) == ru


def test_the_card_line_and_the_refusal_name_the_end() -> None:
    left = time_left("en", UNTIL)
    assert card_line("en", UNTIL) == (
        f"On hold for {left} more (until 2026-12-01 08:11 UTC): it cannot be traded or "
        "transferred yet."
    )
    assert card_line("ru", UNTIL).startswith("Удерживается ещё ")
    title = "<b>Tom & Jerry</b>"
    held = OnHold(title, UNTIL, NOW)
    assert held.detail == (
        "«<b>Tom & Jerry</b>» changed hands recently and is on hold until 2026-12-01 08:11 UTC "
        "(5 h 12 min left): an object received by a trade or transfer cannot be traded or "
        "transferred again until then"
    )
    assert refusal("en", held).startswith("«<b>Tom & Jerry</b>» changed hands recently")


def test_the_rule_compares_with_the_clock_it_is_given() -> None:
    received = NOW - timedelta(hours=23)
    assert held_until(received, 24, NOW) == NOW + timedelta(hours=1)
    assert held_until(received, 24, NOW + timedelta(hours=1)) is None  # ends exactly then
    assert held_until(received, 0, NOW) is None
    assert held_until(None, 24, NOW) is None
    check_not_held([("Free", None), ("Old", received)], 23, NOW)
    with pytest.raises(OnHold) as caught:
        check_not_held([("Free", None), ("Held", received)], 24, NOW)
    assert (caught.value.title, caught.value.until, caught.value.code) == (
        "Held", NOW + timedelta(hours=1), "object_on_hold"
    )  # fmt: skip
