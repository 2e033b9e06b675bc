"""Sliding-window limits that match how MAX counts: at most N calls in any one-second window.

A leaky bucket would allow a full burst and then a steady rate, which can put N+1 calls in one
window; MAX answers that with 429, so the window is tracked exactly.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque


class SlidingWindow:
    def __init__(self, rate: int, period_s: float = 1.0) -> None:
        self.rate = rate
        self.period_s = period_s
        self._calls: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._calls and now - self._calls[0] >= self.period_s:
                    self._calls.popleft()
                if len(self._calls) < self.rate:
                    self._calls.append(now)
                    return
                await asyncio.sleep(self.period_s - (now - self._calls[0]) + 0.001)

    @property
    def idle(self) -> bool:
        return not self._calls or time.monotonic() - self._calls[-1] >= self.period_s


class PerKeyWindows:
    """One window per chat, forgetting chats that have been quiet for a while."""

    def __init__(self, rate: int, period_s: float = 1.0, keep: int = 10_000) -> None:
        self.rate = rate
        self.period_s = period_s
        self.keep = keep
        self._windows: OrderedDict[int, SlidingWindow] = OrderedDict()

    def get(self, key: int) -> SlidingWindow:
        window = self._windows.pop(key, None) or SlidingWindow(self.rate, self.period_s)
        self._windows[key] = window
        if len(self._windows) > self.keep:
            oldest_key, oldest = next(iter(self._windows.items()))
            if oldest.idle:
                del self._windows[oldest_key]
        return window
