"""MAX's bot-wide pace (30 calls per second, docs/max-platform.md, Rate limits) kept for every
Bot API call the process makes: a push's upload and send, edits, callback answers, long polls and
the start-up calls, not only one slot per push.

`SharedPacer` counts in PostgreSQL (storage/max_calls.py), so replicas and a process restarted
a moment ago share one budget; its own process window goes first, so one replica alone never
waits on the database. A call counts while in flight (a dead process's for at most
`in_flight_cap_s`) and for the window after its answer. Should the database be unreachable, calls
fall back to the process window alone (logged): pushes stop then anyway, since no row can be
claimed, and the long poll and start-up calls are few.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

import asyncpg

from bot.ratelimit import SlidingWindow
from storage.db import CONNECTION_ERRORS
from storage.max_calls import begin_call, end_call

log = logging.getLogger(__name__)

PER_BOT = 30
# the windows stamp calls when answered (see bot.ratelimit); a hair of slack for clocks
WINDOW_S = 1.01


class CallPacer(Protocol):
    def slot(self) -> AbstractAsyncContextManager[None]: ...


class Unpaced:
    """No pace of its own: a client whose caller keeps the pace (tests of the client itself)."""

    def slot(self) -> AbstractAsyncContextManager[None]:
        return contextlib.nullcontext()


class LocalPacer:
    """One process's window: for a client with no database of its own."""

    def __init__(self, rate: int = PER_BOT, window_s: float = WINDOW_S) -> None:
        self.window = SlidingWindow(rate, window_s)

    def slot(self) -> AbstractAsyncContextManager[None]:
        return self.window.slot()


class SharedPacer:
    def __init__(
        self,
        pool: asyncpg.Pool,
        rate: int = PER_BOT,
        window_s: float = WINDOW_S,
        in_flight_cap_s: float = 3.0,
    ) -> None:
        self.pool = pool
        self.rate = rate
        self.window_s = window_s
        self.in_flight_cap_s = in_flight_cap_s
        self.local = SlidingWindow(rate, window_s)

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self.local.slot():
            call_id = await self._begin()
            try:
                yield
            finally:
                if call_id is not None:
                    await self._end(call_id)

    async def _begin(self) -> int | None:
        """The shared slot's id; None when the database cannot be asked (the process window
        alone then keeps the pace)."""
        while True:
            try:
                async with self.pool.acquire() as conn:
                    call_id, wait_s = await begin_call(
                        conn, self.rate, self.window_s, self.in_flight_cap_s
                    )
            except CONNECTION_ERRORS as exc:
                log.warning("MAX call pace: database unavailable, pacing this process only (%r)",
                            exc)  # fmt: skip
                return None
            if call_id is not None:
                return call_id
            await asyncio.sleep(wait_s)

    async def _end(self, call_id: int) -> None:
        # if this fails the call keeps its slot until the in-flight cap: slower, never faster
        with contextlib.suppress(*CONNECTION_ERRORS):
            async with self.pool.acquire() as conn:
                await end_call(conn, call_id)
