"""The push sender: outbox rows → MAX, within MAX's limits, each push sent once.

Rows are claimed with FOR UPDATE SKIP LOCKED, stamped with the sender's id, whose advisory lock
the sender holds on its listener connection: a sender that dies (or loses that session) lets
its claims go within seconds, and the lease is only the fallback (storage/outbox_claims.py). A
message whose attempt got no answer (its sender died after MAX took it, or a timeout or 5xx
left the outcome unknown) is looked for in its chat before it is sent again
(bot/sent_lookup.py): MAX has no idempotency key. Every MAX call is paced bot-wide by the client
(bot/pacer.py). A sender wakes on NOTIFY (sent when an enqueuing transaction commits) with
polling as the fallback. Messages to one chat go in order; chats are served concurrently. What a
row becomes at MAX is bot/push_delivery.py's business; this module decides when, and what a
refusal means.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.client import MaxClient
from bot.errors import MaxApiError, MaxError, MaxForbidden, MaxNetworkError, MaxRetryLater
from bot.push_delivery import PushDelivery
from bot.ratelimit import PerKeyWindows
from bot.services import BotIdentity
from storage import outbox
from storage.db import CONNECTION_ERRORS
from storage.media import MediaStore, MediaUnavailable
from storage.outbox import OutboxRow
from storage.outbox_claims import hold_sender_lock
from storage.users import mark_unreachable

log = logging.getLogger(__name__)
Listener = PoolConnectionProxy


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


class OutboxSender:
    def __init__(
        self,
        pool: asyncpg.Pool,
        client: MaxClient,
        limits: SenderLimits,
        store: MediaStore,
        identity: BotIdentity,
    ) -> None:
        self.pool = pool
        self.delivery = PushDelivery(pool, client, store, identity)
        self.limits = limits
        self.chat_windows = PerKeyWindows(limits.per_chat, limits.window_s)
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(limits.concurrency)
        # the listener holds the lock of `_sender_id`; no claims are made without it
        self._listener: Listener | None = None
        self._sender_id: int | None = None

    def wake(self, *_: object) -> None:
        self._wake.set()

    async def run(self) -> None:
        listener: Listener | None = None
        try:
            while True:
                try:
                    listener = self._listener = await self._ensure_listener(listener)
                    if listener is None:  # no lock to claim under: wait for the database
                        await asyncio.sleep(self.limits.poll_s)
                        continue
                    while await self.drain_once():
                        pass
                    await self._sleep_until_due()
                except CONNECTION_ERRORS as exc:
                    log.warning("outbox sender: database unavailable (%r)", exc)
                    await asyncio.sleep(self.limits.poll_s)
                except Exception:
                    # a supervisor loop: one bad row or bug must not silence every push
                    log.exception("outbox sender failed; going on")
                    await asyncio.sleep(self.limits.poll_s)
        finally:
            if listener is not None:
                await self._release_listener(listener)

    async def _ensure_listener(self, listener: Listener | None) -> Listener | None:
        if listener is not None and _alive(listener):
            return listener
        self._sender_id = None
        if listener is not None:
            # its session's lock is gone with it: what it claimed is anyone's to take again, so
            # claim afresh under a new id (the old one's backend may linger a moment)
            await self._release_listener(listener)
        try:
            conn: Listener = await self.pool.acquire()
        except CONNECTION_ERRORS:
            return None
        try:
            await conn.add_listener(outbox.NOTIFY_CHANNEL, self.wake)
            self._sender_id = await hold_sender_lock(conn)
        except CONNECTION_ERRORS:
            await self._release_listener(conn)
            return None
        return conn

    async def _release_listener(self, listener: Listener) -> None:
        with contextlib.suppress(*CONNECTION_ERRORS):
            if _alive(listener):
                await listener.remove_listener(outbox.NOTIFY_CHANNEL, self.wake)
            await self.pool.release(listener)

    async def _sleep_until_due(self) -> None:
        timeout = self.limits.poll_s
        with contextlib.suppress(*CONNECTION_ERRORS):
            async with self.pool.acquire() as conn:
                due = await outbox.next_due_in(conn)
            if due is not None:
                # due rows may still wait for their chat's pace: look again soon, not at once
                timeout = min(timeout, max(due, 0.1))
        # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancellation that arrives
        # as the wake-up does, and the stopped sender would go on polling for ever
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()
        self._wake.clear()

    async def drain_once(self) -> int:
        """Claim the due rows and deliver them; the number claimed."""
        sender_id = self._sender_id
        if sender_id is None:
            return 0
        async with self.pool.acquire() as conn:
            rows = await outbox.claim_due(
                conn,
                sender_id,
                self.limits.batch,
                self.limits.lease_s,
                self.limits.chat_spacing_s,
                self.limits.per_bot,
            )
        by_chat: dict[int, list[OutboxRow]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id or row.user_id or 0].append(row)
        await asyncio.gather(*(self._deliver_chat(chat, batch) for chat, batch in by_chat.items()))
        return len(rows)

    async def _deliver_chat(self, chat: int, rows: list[OutboxRow]) -> None:
        async with self._slots:
            for row in rows:
                if not self._holds_claims():
                    # lost with the listener's session: another sender may take these rows
                    # now, so sending one too would risk a duplicate; they are left to it
                    return
                await self._deliver(chat, row)

    def _holds_claims(self) -> bool:
        return self._listener is not None and _alive(self._listener)

    async def _deliver(self, chat: int, row: OutboxRow) -> None:
        try:
            # the bot-wide pace is kept per MAX call, by the client (bot/pacer.py)
            async with self.chat_windows.get(chat).slot():
                message_id = await self.delivery.send(row)
        except MaxError as exc:
            await self._failed(row, exc)
            return
        except MediaUnavailable as exc:  # the photo could not be read: nothing reached MAX
            await self._media_unavailable(row, exc)
            return
        except (ValueError, KeyError, OSError) as exc:  # a malformed row or a missing file
            log.exception("push %s cannot be sent; dead-lettered", row.id)
            async with self.pool.acquire() as conn:
                await outbox.give_up(conn, row.id, f"{type(exc).__name__}: {exc}"[:500])
            return
        async with self.pool.acquire() as conn:
            await outbox.mark_sent(conn, row.id, message_id)

    async def _failed(self, row: OutboxRow, exc: MaxError) -> None:
        error = str(exc)[:500]
        async with self.pool.acquire() as conn, conn.transaction():
            if isinstance(exc, MaxForbidden) and row.kind == "send" and row.user_id is not None:
                log.info("user %s blocked the bot; not queuing to them any more", row.user_id)
                await mark_unreachable(conn, row.user_id)
                await outbox.give_up(conn, row.id, error, status="skipped")
                await outbox.skip_pending_for_user(conn, row.user_id, "user unreachable (403)")
            elif self._retryable(row, exc) and self._patient(row, exc):
                delay = self._backoff(row, exc, self.limits)
                log.info("push %s refused (%s); retrying in %.1fs", row.id, error, delay)
                # a send that may have got through is looked for before it is sent again
                unanswered = row.kind == "send" and exc.outcome_unknown
                await outbox.retry_later(conn, row.id, delay, error, unanswered=unanswered)
            else:
                log.warning("push %s dead after %s attempts: %s", row.id, row.attempts, error)
                await outbox.give_up(conn, row.id, error)

    async def _media_unavailable(self, row: OutboxRow, exc: MediaUnavailable) -> None:
        async with self.pool.acquire() as conn:
            if row.attempts < self.limits.max_attempts:
                delay = self._backoff(row, MaxError(), self.limits)
                log.warning("push %s waits for the media store (%s); retrying in %.1fs",
                            row.id, exc, delay)  # fmt: skip
                await outbox.retry_later(conn, row.id, delay, str(exc)[:500])
            else:
                await outbox.give_up(conn, row.id, str(exc)[:500])

    @staticmethod
    def _retryable(row: OutboxRow, exc: MaxError) -> bool:
        if exc.safe_to_retry:
            return True
        if row.kind == "send":  # sent again only after looking for it (bot/sent_lookup.py)
            return exc.outcome_unknown
        # edits and callback answers repeat harmlessly
        return not isinstance(exc, MaxApiError) or exc.outcome_unknown

    def _patient(self, row: OutboxRow, exc: MaxError) -> bool:
        """Whether to try again: a row refused for itself has `max_attempts`; while MAX is away
        or over its pace (429, 5xx, timeouts) a row waits up to `outage_patience_s`, so an
        outage of minutes is ridden out and drained afterwards."""
        if row.attempts < self.limits.max_attempts:
            return True
        outage = isinstance(exc, MaxRetryLater | MaxNetworkError)
        age = (datetime.now(UTC) - row.created_at).total_seconds()
        return outage and age < self.limits.outage_patience_s

    @staticmethod
    def _backoff(row: OutboxRow, exc: MaxError, limits: SenderLimits) -> float:
        base = float(exc.retry_after) if isinstance(exc, MaxRetryLater) else 1.0
        base *= limits.backoff_scale
        grown: float = min(limits.max_backoff_s, base * 2.0 ** max(0, row.attempts - 1))
        return grown * (1 + random.random() * 0.5)  # jitter spreads replicas and chats apart


def _alive(listener: Listener) -> bool:
    try:
        return not listener.is_closed()
    except asyncpg.InterfaceError:  # the pool took it back after the connection broke
        return False
