"""How many pushes one person's actions may cause another: nobody floods a stranger's chat.

Two rules, until the general abuse limits make them settings:
- after someone withdraws a trade, transfer or access request, what they send the same person
  within the cool-down (and its withdrawal) arrives silently: ask-then-cancel in a loop costs
  the other person two pushes an hour, not two per round;
- whatever one person's actions cause another is capped per hour (counted by the statement
  that queues the push, storage/outbox.py enqueue_notice).
Past either, nothing is queued; the trade, transfer or request itself is still in the inbox.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Literal

from storage import withdrawals
from storage.db import Connection

PUSHES_PER_SENDER_HOUR = 20
RENOTIFY_COOLDOWN = timedelta(hours=1)
HOUR = timedelta(hours=1)
# what a push announces: something sent ("made") or taken back ("withdrawn"); None otherwise
Burst = Literal["made", "withdrawn"]
log = logging.getLogger(__name__)


async def withdrawn_lately(
    conn: Connection, sender: int | None, to_user: int, burst: Burst | None
) -> bool:
    """Whether a push announcing something `sender` made or withdrew must stay silent, because
    they withdrew something from `to_user` lately (the caller's transaction already holds the
    change it announces, a withdrawal included)."""
    if sender is None or burst is None or sender == to_user:
        return False
    # the withdrawal being announced is counted already: only an earlier one silences it
    allowed = 0 if burst == "made" else 1
    if await withdrawals.withdrawn_within(conn, sender, to_user, RENOTIFY_COOLDOWN) > allowed:
        log.info("push from %s to %s kept silent: withdrawn lately", sender, to_user)
        return True
    return False


def log_capped(sender: int | None, to_user: int, caused: int) -> None:
    """Say so when the hourly cap kept a push from `sender` to `to_user` silent."""
    if sender is not None and sender != to_user and caused >= PUSHES_PER_SENDER_HOUR:
        log.info("push from %s to %s kept silent: %d this hour", sender, to_user, caused)
