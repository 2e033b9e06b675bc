"""Per-replica limits for cheap reads (browsing and search): a moving window in this process's
memory. A person spread over N replicas may read N times the rate, which is fine for reads that
write nothing; it costs no database round trip.

The window is a moving window (at most `amount` hits in any `seconds`), kept as one deque of
hit times per subject: the `limits` library's asyncio memory storage, used before, took a lock,
scheduled an expiry task and a thread hop on every hit, a sixth of a gallery page's CPU.
Everything below runs without awaiting, so on one event loop no two hits interleave.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence

from gallery.limits import Ceiling, RateLimited
from storage.metrics import RATE_LIMIT_REFUSALS

WindowKey = tuple[str, str, int, int]


class LocalLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[WindowKey, deque[float]] = {}
        self._next_sweep = clock()

    def enforce(self, ceilings: Sequence[Ceiling]) -> None:
        """Count one hit against each ceiling in turn; RateLimited at the first one full."""
        now = self._clock()
        for ceiling in ceilings:
            wait = self._hit(ceiling, now)
            if wait is not None:
                RATE_LIMIT_REFUSALS.labels(ceiling.rule).inc()
                raise RateLimited(ceiling.rule, max(1, math.ceil(wait)), first=False)
        if now >= self._next_sweep:
            self._sweep(now)

    def _hit(self, ceiling: Ceiling, now: float) -> float | None:
        """None when the hit fits the window (and is counted), else the seconds until the
        oldest hit in it leaves."""
        amount, expiry = ceiling.item.amount, ceiling.item.seconds
        key = (ceiling.rule, ceiling.subject, amount, expiry)
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
        while hits and hits[0] < now - expiry:
            hits.popleft()
        if len(hits) >= amount:
            return (hits[0] if hits else now) + expiry - now
        hits.append(now)
        return None

    def _sweep(self, now: float) -> None:
        """Forget subjects idle for a whole window, at most once a minute: memory stays bound
        to the subjects of the last window."""
        idle = [key for key, hits in self._hits.items() if not hits or hits[-1] < now - key[3]]
        for key in idle:
            del self._hits[key]
        self._next_sweep = now + 60
