"""Per-replica limits for cheap reads (browsing and search): the `limits` library's moving window
in this process's memory. A person spread over N replicas may read N times the rate, which is
fine for reads that write nothing; it costs no database round trip."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from gallery.limits import Ceiling, RateLimited
from storage.metrics import RATE_LIMIT_REFUSALS


class LocalLimiter:
    def __init__(self) -> None:
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def enforce(self, ceilings: Sequence[Ceiling]) -> None:
        for ceiling in ceilings:
            if not await self.limiter.hit(ceiling.item, ceiling.rule, ceiling.subject):
                raise await self._refusal(ceiling)

    async def _refusal(self, ceiling: Ceiling) -> RateLimited:
        stats = await self.limiter.get_window_stats(ceiling.item, ceiling.rule, ceiling.subject)
        RATE_LIMIT_REFUSALS.labels(ceiling.rule).inc()
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        return RateLimited(ceiling.rule, wait, first=False)
