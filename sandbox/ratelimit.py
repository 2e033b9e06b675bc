import time
from collections import deque


class SlidingWindow:
    """Counts events in the last second; MAX's limits are per second (docs/max-platform.md,
    Rate limits)."""

    def __init__(self, window_s: float = 1.0) -> None:
        self.window_s = window_s
        self.stamps: deque[float] = deque()

    def admit(self, limit: int) -> bool:
        now = time.monotonic()
        while self.stamps and now - self.stamps[0] >= self.window_s:
            self.stamps.popleft()
        if len(self.stamps) >= limit:
            return False
        self.stamps.append(now)
        return True
