"""When a refused push is tried again, and after how long: the sender's policy, apart from its
machinery (bot/sender.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.errors import MaxApiError, MaxError, MaxNetworkError, MaxRetryLater
from storage.outbox import OutboxRow


@dataclass(frozen=True)
class SenderLimits:
    per_bot: int = 30
    per_chat: int = 2
    # the windows stamp calls when answered (see bot.ratelimit); a hair of slack for clocks
    window_s: float = 1.01
    # between one chat's messages across every sender (2 per second per chat); see CLAIM
    chat_spacing_s: float = 0.51
    max_attempts: int = 8
    poll_s: float = 5.0
    batch: int = 60
    lease_s: float = 120.0
    concurrency: int = 16
    # multiplies every retry wait (MAX's Retry-After or our default); tests shrink it
    backoff_scale: float = 1.0
    max_backoff_s: float = 300.0
    # how long a push keeps waiting out MAX's outages (429, 5xx, timeouts) past max_attempts
    outage_patience_s: float = 3600.0


def retryable(row: OutboxRow, exc: MaxError) -> bool:
    if exc.safe_to_retry:
        return True
    if row.kind == "send":  # sent again only after looking for it (bot/sent_lookup.py)
        return exc.outcome_unknown
    # edits and callback answers repeat harmlessly
    return not isinstance(exc, MaxApiError) or exc.outcome_unknown


def patient(row: OutboxRow, exc: MaxError, limits: SenderLimits) -> bool:
    """Whether to try again: a row refused for itself has `max_attempts`; while MAX is away or
    over its pace (429, 5xx, timeouts) a row waits up to `outage_patience_s`, so an outage of
    minutes is ridden out and drained afterwards."""
    if row.attempts < limits.max_attempts:
        return True
    outage = isinstance(exc, MaxRetryLater | MaxNetworkError)
    age = (datetime.now(UTC) - row.created_at).total_seconds()
    return outage and age < limits.outage_patience_s


def backoff(row: OutboxRow, exc: MaxError, limits: SenderLimits) -> float:
    base = float(exc.retry_after) if isinstance(exc, MaxRetryLater) else 1.0
    base *= limits.backoff_scale
    grown: float = min(limits.max_backoff_s, base * 2.0 ** max(0, row.attempts - 1))
    return grown * (1 + random.random() * 0.5)  # jitter spreads replicas and chats apart
