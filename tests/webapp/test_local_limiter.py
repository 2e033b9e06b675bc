"""The in-memory limit of cheap reads is a moving window: at most `amount` hits in any minute,
the wait counted from the oldest hit in it, each subject on its own, idle subjects forgotten."""

from __future__ import annotations

import pytest

from config.limits import Rate
from gallery.limits import Ceiling, RateLimited, per_minute
from gallery.limits.local import LocalLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ceilings(person: int, amount: int = 2) -> list[Ceiling]:
    return per_minute("search", Rate(person=amount, address=0), person=person)


def test_the_hit_past_the_amount_waits_for_the_oldest_to_leave() -> None:
    clock = Clock()
    limiter = LocalLimiter(clock)
    limiter.enforce(ceilings(1))
    clock.now += 20
    limiter.enforce(ceilings(1))
    clock.now += 10
    with pytest.raises(RateLimited) as refused:
        limiter.enforce(ceilings(1))
    assert (refused.value.rule, refused.value.retry_after_s, refused.value.first) == (
        "search", 30, False
    )
    clock.now += 30.5  # the first hit has left the window; the refused one never counted
    limiter.enforce(ceilings(1))
    with pytest.raises(RateLimited):
        limiter.enforce(ceilings(1))


def test_a_hit_exactly_one_window_old_still_counts() -> None:
    clock = Clock()
    limiter = LocalLimiter(clock)
    limiter.enforce(ceilings(1, amount=1))
    clock.now += 60
    with pytest.raises(RateLimited) as refused:
        limiter.enforce(ceilings(1, amount=1))
    assert refused.value.retry_after_s == 1


def test_subjects_are_counted_apart() -> None:
    limiter = LocalLimiter(Clock())
    for _ in range(2):
        limiter.enforce(ceilings(1))
    limiter.enforce(ceilings(2))
    with pytest.raises(RateLimited):
        limiter.enforce(ceilings(1))


def test_idle_subjects_are_forgotten() -> None:
    clock = Clock()
    limiter = LocalLimiter(clock)
    for person in range(100):
        limiter.enforce(ceilings(person))
    clock.now += 61
    limiter.enforce(ceilings(1000))
    assert len(limiter._hits) == 1
