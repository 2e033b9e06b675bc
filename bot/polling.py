"""Long polling for a real token without a public URL (development). The marker lives in the
database, so a restart neither loses nor repeats updates; the same dispatcher and idempotency."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.context import Context
from bot.dispatcher import Dispatcher
from bot.errors import MaxError, MaxRetryLater
from bot.services import BotServices
from bot.types import UnknownUpdate, Update
from storage.db import CONNECTION_ERRORS
from storage.updates import load_marker, save_marker

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 60.0
T = TypeVar("T")


class Poller:
    def __init__(self, services: BotServices, dispatcher: Dispatcher) -> None:
        self.services = services
        self.dispatcher = dispatcher
        self.timeout_s = services.settings.bot.long_poll_timeout_s

    async def run(self) -> None:
        marker = await self._retrying(self._load_marker)
        while True:
            marker = await self.poll_once(marker)

    async def poll_once(self, marker: int | None) -> int | None:
        """One long poll: handle every update, then store the new marker; return it."""
        try:
            batch = await self.services.client.get_updates(marker=marker, timeout=self.timeout_s)
        except MaxRetryLater as exc:
            await asyncio.sleep(exc.retry_after)
            return marker
        except MaxError as exc:
            log.warning("long poll failed: %s", exc)
            await asyncio.sleep(5.0)
            return marker
        for update in batch.updates:
            await self._retrying(functools.partial(self._handle, update))
        if batch.marker is not None and batch.marker != marker:
            await self._retrying(functools.partial(self._save_marker, batch.marker))
            return batch.marker
        return marker

    async def _handle(self, update: Update) -> None:
        if isinstance(update, UnknownUpdate):
            log.info("ignoring update of unknown type %r", update.update_type)
            return
        # the webhook's budget here too: a stuck update is rolled back and tried again
        async with asyncio.timeout(self.services.settings.bot.handler_budget_s):
            await self.dispatcher.feed(Context(update, self.services))

    async def _load_marker(self) -> int | None:
        async with self.services.pool.acquire() as conn:
            return await load_marker(conn)

    async def _save_marker(self, marker: int) -> None:
        async with self.services.pool.acquire() as conn:
            await save_marker(conn, marker)

    @staticmethod
    async def _retrying(step: Callable[[], Awaitable[T]]) -> T:
        """Repeat `step` while the database is away; an update is never skipped for that."""
        delay = 0.5
        while True:
            try:
                return await step()
            except CONNECTION_ERRORS as exc:
                log.warning("database unavailable (%r); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(MAX_BACKOFF_S, delay * 2)
