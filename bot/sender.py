"""The push sender: outbox rows → MAX, within MAX's limits, each push sent once.

Rows are claimed with FOR UPDATE SKIP LOCKED, stamped with the sender's id, whose advisory lock
the sender holds on its listener connection: a sender that dies (or loses that session) lets
its claims go within seconds, and the lease is only the fallback (storage/outbox_claims.py). A
message whose attempt got no answer (its sender died after MAX took it, or a timeout or 5xx
left the outcome unknown) is looked for in its chat before it is sent again
(bot/sent_lookup.py): MAX has no idempotency key. Every MAX call is paced bot-wide by the client
(bot/pacer.py). A sender is told in memory when its own process queues a push (not by NOTIFY,
whose lock makes commits queue: storage/outbox.py) and looks again until the row is committed;
NOTIFY from the outbox CLI, and polling, cover the rest. Messages to one chat go in order;
chats are served concurrently. What a row becomes at MAX is bot/push_delivery.py's business;
this module decides when, and what a refusal means.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from bot.client import MaxClient
from bot.errors import MaxError, MaxForbidden
from bot.push_delivery import PushDelivery
from bot.ratelimit import PerKeyWindows
from bot.sender_policy import SenderLimits as SenderLimits
from bot.sender_policy import backoff, patient, retryable
from bot.services import BotIdentity
from storage import outbox
from storage.db import CONNECTION_ERRORS
from storage.media import MediaStore, MediaUnavailable
from storage.outbox import OutboxRow
from storage.outbox_claims import hold_sender_lock
from storage.outbox_queue import on_enqueue
from storage.users import mark_unreachable

log = logging.getLogger(__name__)
Listener = PoolConnectionProxy
# after a push is queued here: when to look again for it, its transaction perhaps still open
REWAKE_S = (0.02, 0.1, 0.5, 2.0)
# rows are due but none could be claimed (MAX's pace or a chat's order holds them): look again
# after this, whatever is queued meanwhile (each look scans the backlog; see _sleep_until_due)
HELD_BACK_PAUSE_S = 0.1


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
        self._follow_ups: list[asyncio.TimerHandle] = []
        self._slots = asyncio.Semaphore(limits.concurrency)
        # when this sender last asked for due rows (loop time): see _claim_gap
        self._claimed_at = float("-inf")
        # the listener holds the lock of `_sender_id`; no claims are made without it
        self._listener: Listener | None = None
        self._sender_id: int | None = None

    def wake(self, *_: object) -> None:
        self._wake.set()

    def queued_here(self) -> None:
        """A push was queued in this process, before its transaction commits: look now and a
        few times more while the commit may still be on its way."""
        self._wake.set()
        if self._follow_ups:
            return  # already looking again; pushes queued meanwhile are claimed together
        loop = asyncio.get_running_loop()
        self._follow_ups = [loop.call_later(delay, self._wake.set) for delay in REWAKE_S]
        self._follow_ups.append(loop.call_later(REWAKE_S[-1], self._follow_ups.clear))

    async def run(self) -> None:
        listener: Listener | None = None
        stop_hearing = on_enqueue(self.queued_here)
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
            stop_hearing()
            for handle in self._follow_ups:
                handle.cancel()
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
            if due == 0:
                # due, yet the claim just now took none: held back by MAX's pace or a chat's
                # order, which no push queued meanwhile changes; waking for each of those (a
                # thousand a second under load) only rescanned the backlog
                await asyncio.sleep(HELD_BACK_PAUSE_S)
                self._wake.clear()
                return
            if due is not None:
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
        await self._claim_gap()
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

    async def _claim_gap(self) -> None:
        """At most one claim per 1/per_bot seconds. Every push queued here wakes the sender;
        with a backlog waiting on MAX's pace, each wake used to cost a claim and a look at the
        next due time, both scanning the backlog: at 1,000 queued a second the sender alone
        kept PostgreSQL busy (bench/webhook.py). No claim can take more than the pace allows
        in that time anyway; an idle sender still claims a new push at once."""
        loop = asyncio.get_running_loop()
        wait = self._claimed_at + 1 / self.limits.per_bot - loop.time()
        if wait > 0:
            await asyncio.sleep(wait)
        self._claimed_at = loop.time()

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
            elif retryable(row, exc) and patient(row, exc, self.limits):
                delay = backoff(row, exc, self.limits)
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
                delay = backoff(row, MaxError(), self.limits)
                log.warning("push %s waits for the media store (%s); retrying in %.1fs",
                            row.id, exc, delay)  # fmt: skip
                await outbox.retry_later(conn, row.id, delay, str(exc)[:500])
            else:
                await outbox.give_up(conn, row.id, str(exc)[:500])


def _alive(listener: Listener) -> bool:
    try:
        return not listener.is_closed()
    except asyncpg.InterfaceError:  # the pool took it back after the connection broke
        return False
