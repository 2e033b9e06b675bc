"""Sliding windows that keep MAX's limits as MAX counts them: at most N calls in any one-second
window, measured when the calls arrive there.

A leaky bucket would allow a full burst and then a steady rate, which can put N+1 calls in one
window. And stamping a call when it starts is not enough: one delayed on the way (a busy
connection, the bot-wide window) arrives later than stamped. So a call holds its slot while in
flight and is stamped when its answer is back: a call that finished a full period before another
starts certainly arrived more than a period before it.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress


class SlidingWindow:
    def __init__(self, rate: int, period_s: float = 1.0) -> None:
        self.rate = rate
        self.period_s = period_s
        self._finished: deque[float] = deque()
        self._in_flight = 0
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        await self._acquire()
        try:
            yield
        finally:
            await self._release()

    async def _acquire(self) -> None:
        async with self._changed:
            while True:
                now = time.monotonic()
                while self._finished and now - self._finished[0] >= self.period_s:
                    self._finished.popleft()
                if self._in_flight + len(self._finished) < self.rate:
                    self._in_flight += 1
                    return
                wait = self.period_s - (now - self._finished[0]) if self._finished else None
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that arrives as the wait ends, and this loop would then never stop
                with suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._changed.wait()

    async def _release(self) -> None:
        async with self._changed:
            self._in_flight -= 1
            self._finished.append(time.monotonic())
            self._changed.notify_all()

    @property
    def idle(self) -> bool:
        now = time.monotonic()
        return not self._in_flight and (
            not self._finished or now - self._finished[-1] >= self.period_s
        )


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
