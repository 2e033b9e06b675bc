"""A backlog held back by a chat's pace does not make the sender spin: every push queued in the
process wakes it, and with rows due but not claimable each wake used to cost a claim and a
look at the next due time, both scanning the backlog (bench/webhook.py: 1,000 wakes a second).
Now at most one claim per 1/per_bot s, and a short pause while due rows are held back."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import asyncpg
import pytest

from bot import sender as sender_module
from sandbox.runner import RunningSandbox
from storage import outbox
from tests.bot.helpers import wait_for_bot_messages
from tests.bot.test_outbox import FAST, people, pool, queue, running_senders, said, texts

__all__ = ["pool"]  # the fixture, shared with tests/bot/test_outbox.py


def count_claims(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The monotonic time of every claim the senders make from now on."""
    claims: list[float] = []
    real_claim = outbox.claim_due

    async def counted(*args: object, **kwargs: object) -> list[outbox.OutboxRow]:
        claims.append(time.monotonic())
        return await real_claim(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "claim_due", counted)
    return claims


async def test_wakes_during_a_held_back_backlog_cost_few_claims_and_order_holds(
    pool: asyncpg.Pool,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    busy, idle = await people(sandbox, db, 2)
    for n in range(5):  # one chat: 0.51 s apart, so most of them wait while due
        await queue(db, busy, n)
    claims = count_claims(monkeypatch)
    async with running_senders(pool, sandbox) as (sender,):
        await asyncio.sleep(0.3)  # the first one sent; the rest held back by the chat's pace
        started = time.monotonic()
        while time.monotonic() - started < 1.0:  # a thousand pushes queued here a second
            sender.queued_here()
            await asyncio.sleep(0.001)
        in_storm = [t for t in claims if started <= t < started + 1.0]
        # an idle chat's push still goes out promptly during the backlog
        await queue(db, idle, 99)
        sender.queued_here()
        queued_at = time.monotonic()
        while not await texts(sandbox, idle):
            assert time.monotonic() - queued_at < 1.5, "the idle chat's push waited"
            await asyncio.sleep(0.02)
        await wait_for_bot_messages(sandbox.control, busy, count=5)
    # a claim per 0.1 s pause while held back, one more per row taken (every 0.51 s); before,
    # a claim per wake: hundreds
    assert 1 / sender.limits.per_bot < sender_module.HELD_BACK_PAUSE_S
    assert len(in_storm) <= 15, f"{len(in_storm)} claims in a second of wakes"
    assert await texts(sandbox, busy) == [said(n) for n in range(5)]
    assert await texts(sandbox, idle) == [said(99)]


async def test_an_idle_sender_waits_for_a_push_instead_of_polling(
    pool: asyncpg.Pool,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With nothing pending the sender sleeps until woken or poll_s has passed. It used to read
    an empty outbox as "due now" (GREATEST(0, NULL) is 0) and claim ten times a second."""
    (person,) = await people(sandbox, db, 1)
    assert await outbox.next_due_in(db) is None
    claims = count_claims(monkeypatch)
    limits = dataclasses.replace(FAST, poll_s=5.0)
    async with running_senders(pool, sandbox, limits=limits):
        await asyncio.sleep(1.5)
        idle_claims = len(claims)
        await queue(db, person, 1)  # queued in this process: enqueue wakes the sender
        queued_at = time.monotonic()
        while not await texts(sandbox, person):
            assert time.monotonic() - queued_at < 2.0, "the woken sender did not send"
            await asyncio.sleep(0.02)
    assert idle_claims <= 2, f"{idle_claims} claims in 1.5 s with nothing pending"
    assert await outbox.next_due_in(db) is None  # sent: nothing pends
