"""A stop is a stop: the push sender and MAX's rate windows end when cancelled, even when the
cancel arrives in the same turn of the loop as the wake-up they were waiting for.

(On Python 3.11 `asyncio.wait_for` returns the finished wait and drops such a cancel: the
sender went on polling after its app had stopped, and the app's shutdown waited for ever.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bot.client import MaxClient
from bot.ratelimit import SlidingWindow
from bot.sender import OutboxSender, SenderLimits
from config.settings import DatabaseSettings
from sandbox.runner import RunningSandbox
from storage.db import create_pool
from storage.media import LocalMediaStore
from tests.bot.test_outbox import IDENTITY


async def cancel_as_woken(
    work: Coroutine[Any, Any, object], wake: Callable[[], object]
) -> asyncio.Task[object]:
    """Start `work`, let it settle into its wait, then wake it and cancel it in one turn."""
    task: asyncio.Task[object] = asyncio.create_task(work)
    await asyncio.sleep(0.3)
    wake()
    await asyncio.sleep(0)  # the awaited wake-up has happened; the waiter has not run yet
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=3)
    if not done:
        task.cancel()
        raise AssertionError("the cancelled task is still running")
    return task


async def test_a_window_waiter_cancelled_as_a_slot_frees_stops() -> None:
    window = SlidingWindow(rate=1, period_s=30.0)
    first = window.slot()
    await first.__aenter__()

    async def second_call() -> None:
        async with window.slot():
            pass

    def free_the_slot() -> object:
        return asyncio.ensure_future(first.__aexit__(None, None, None))

    task = await cancel_as_woken(second_call(), free_the_slot)
    assert task.cancelled()


async def test_the_sender_cancelled_as_a_push_wakes_it_stops(
    database_url: str, sandbox: RunningSandbox
) -> None:
    pool = await create_pool(database_url, DatabaseSettings(pool_min=1, pool_max=4))
    try:
        async with MaxClient(sandbox.token, base_url=sandbox.base_url) as client:
            store = LocalMediaStore(Path("/nonexistent"))
            sender = OutboxSender(pool, client, SenderLimits(poll_s=30.0), store, IDENTITY)
            task = await cancel_as_woken(sender.run(), sender.wake)
            assert task.cancelled()
    finally:
        await asyncio.wait_for(pool.close(), 10)
