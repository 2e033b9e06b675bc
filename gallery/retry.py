"""Transactions that PostgreSQL may pick as a deadlock victim are run again, whole."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

import asyncpg

log = logging.getLogger(__name__)
T = TypeVar("T")
DEADLOCK_RETRIES = 3


async def retry_on_deadlock(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run a whole transaction again if PostgreSQL chose it as a deadlock victim.

    Locks are taken in one order, so this is a backstop, not the plan: a deadlock must never
    reach a person as an error.
    """
    for n in range(DEADLOCK_RETRIES):
        try:
            return await attempt()
        except (asyncpg.DeadlockDetectedError, asyncpg.SerializationError) as exc:
            log.warning("transaction retried after %s (attempt %d)", type(exc).__name__, n + 1)
            await asyncio.sleep(0.01 * (n + 1))
    return await attempt()
