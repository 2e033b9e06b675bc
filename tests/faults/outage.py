"""One outage under load: warm up, cut a dependency, keep the load on, bring it back, wait until
every kind of call succeeds again, and report the figures."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from tests.faults.load import Load, Outcome, during

SUCCESS = {200, 201}


@dataclass(frozen=True)
class Timeline:
    cut_called: float
    down: float  # the cut has returned: the dependency is gone
    restore_called: float
    up: float  # the dependency answers again


async def run_outage(
    load: Load,
    workers: list[Coroutine[Any, Any, None]],
    cut: Callable[[], None],
    restore: Callable[[], None],
    *,
    warm_s: float = 2.0,
    down_s: float = 5.0,
    recovery_timeout_s: float = 30.0,
) -> Timeline:
    """`cut` and `restore` block (they stop and start servers): they run in threads, so the
    load and the in-process sandbox keep going meanwhile."""
    tasks = [asyncio.create_task(worker) for worker in workers]
    try:
        await asyncio.sleep(warm_s)
        cut_called = time.monotonic()
        await asyncio.to_thread(cut)
        down = time.monotonic()
        await asyncio.sleep(down_s)
        restore_called = time.monotonic()
        await asyncio.to_thread(restore)
        timeline = Timeline(cut_called, down, restore_called, time.monotonic())
        await _until_recovered(load, timeline.up, recovery_timeout_s)
        await asyncio.sleep(1.0)  # some load after the recovery too
    finally:
        load.stop.set()
        await asyncio.gather(*tasks)
    return timeline


async def _until_recovered(load: Load, since: float, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not all(recovered_at(load.of(kind), since) for kind in ("read", "upload", "ready")):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"not recovered {timeout_s:.0f} s after the restart: {report(load)}"
            )
        await asyncio.sleep(0.1)


def recovered_at(outcomes: list[Outcome], since: float) -> float | None:
    """When the first call started after `since` succeeded, answered; None if none has."""
    answered = [o.ended for o in outcomes if o.started >= since and o.status in SUCCESS]
    return min(answered, default=None)


def first_refusal(outcomes: list[Outcome], since: float) -> float | None:
    refused = [o.ended for o in outcomes if o.ended >= since and o.status == 503]
    return min(refused, default=None)


def report(load: Load) -> dict[str, dict[str, int]]:
    """Calls of each kind by status ("none": no answer)."""
    counts: dict[str, Counter[str]] = {}
    for outcome in load.outcomes:
        counts.setdefault(outcome.kind, Counter())[str(outcome.status).lower()] += 1
    return {kind: dict(sorted(c.items())) for kind, c in sorted(counts.items())}


def figures(load: Load, timeline: Timeline, kinds: tuple[str, ...]) -> dict[str, Any]:
    """Seconds from the cut to the first 503 and from the restore to the first success, per
    kind; the slowest answer of each kind; the counts."""
    result: dict[str, Any] = {"counts": report(load)}
    for kind in kinds:
        outcomes = load.of(kind)
        refused, back = (
            first_refusal(outcomes, timeline.cut_called),
            recovered_at(outcomes, timeline.up),
        )
        result[kind] = {
            "first 503 after the cut began (s)": _since(refused, timeline.cut_called),
            "first success after the restore (s)": _since(back, timeline.up),
            "slowest answer (s)": round(max((o.seconds for o in outcomes), default=0.0), 3),
            "calls while down": len(during(outcomes, timeline.down, timeline.restore_called)),
        }
    return result


def _since(moment: float | None, start: float) -> float | None:
    return None if moment is None else round(moment - start, 3)


def not_refused_cleanly(outcomes: list[Outcome]) -> list[Outcome]:
    """Calls whose answer was not a 503 with an `{"error", "detail"}` JSON body."""
    return [o for o in outcomes
            if o.status != 503 or not isinstance(o.body, dict) or set(o.body) != {"error", "detail"}
            ]  # fmt: skip


def broken(outcomes: list[Outcome]) -> list[Outcome]:
    """Calls with no answer, or a 5xx other than 503."""
    return [o for o in outcomes if o.status is None or (o.status >= 500 and o.status != 503)]


def phase(outcome: Outcome, timeline: Timeline) -> str:
    """Where in the outage a call started."""
    moments = [(timeline.cut_called, "up, before the cut"), (timeline.down, "going down"),
               (timeline.restore_called, "down"), (timeline.up, "coming back")]  # fmt: skip
    for moment, name in moments:
        if outcome.started < moment:
            return name
    return "back"
