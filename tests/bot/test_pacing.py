"""Every MAX call counts against the bot's 30 per second, across replicas and restarts
(bot/pacer.py), and a push whose earlier attempt got no answer is looked for in its chat before
it is sent again (bot/sent_lookup.py). Against the sandbox, which refuses over-pace calls as MAX
does (429) and records each refusal."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

import asyncpg

from bot.client import MaxClient
from bot.errors import MaxRateLimited
from bot.pacer import CallPacer, SharedPacer, Unpaced
from sandbox.runner import RunningSandbox
from storage.outbox_queue import enqueue
from tests.bot.test_outbox import (
    FAST,
    people,
    pool,
    queue,
    running_senders,
    said,
    sandbox_config,
    texts,
    until_settled,
)

__all__ = ["pool", "sandbox_config"]  # fixtures shared with test_outbox
BURST = 75


async def burst(sandbox: RunningSandbox, pacer: CallPacer, calls: int) -> list[BaseException]:
    """`calls` GET /me at once through one client; the errors they met."""
    async with MaxClient(sandbox.token, base_url=sandbox.base_url, pacer=pacer) as client:
        results = await asyncio.gather(
            *(client.get_me() for _ in range(calls)), return_exceptions=True
        )
    return [r for r in results if isinstance(r, BaseException)]


async def violations(sandbox: RunningSandbox) -> list[object]:
    found: list[object] = (await sandbox.control.stats())["limit_violations"]
    return found


async def test_unpaced_the_same_burst_is_refused(sandbox: RunningSandbox) -> None:
    """The reference: without a pacer MAX refuses most of the burst (so the tests below test)."""
    errors = await burst(sandbox, Unpaced(), 2 * BURST)
    assert errors
    assert all(isinstance(e, MaxRateLimited) for e in errors)
    assert await violations(sandbox)


async def test_two_replicas_bursting_at_once_stay_within_the_bot_wide_pace(
    sandbox: RunningSandbox, pool: asyncpg.Pool
) -> None:
    started = time.monotonic()
    results = await asyncio.gather(
        burst(sandbox, SharedPacer(pool), BURST), burst(sandbox, SharedPacer(pool), BURST)
    )
    elapsed = time.monotonic() - started
    assert list(results) == [[], []]
    assert await violations(sandbox) == []
    # 150 calls at 30 a second: each replica alone would allow itself 30, together 60
    assert elapsed > (2 * BURST) / 30 - 1.5


async def test_a_restarted_process_counts_the_calls_made_just_before_it(
    sandbox: RunningSandbox, pool: asyncpg.Pool
) -> None:
    assert await burst(sandbox, SharedPacer(pool), 30) == []
    started = time.monotonic()
    assert await burst(sandbox, SharedPacer(pool), 30) == []  # a new process, a new window
    assert time.monotonic() - started > 0.5
    assert await violations(sandbox) == []


async def test_an_unanswered_push_found_in_its_chat_is_not_sent_again(
    sandbox: RunningSandbox, pool: asyncpg.Pool, db: asyncpg.Connection
) -> None:
    [user] = await people(sandbox, db, 1)
    await queue(db, user, 1)
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 1}
    # as if the sender had died holding the claim after MAX took it: claimed, never marked
    first_mid = await db.fetchval("SELECT message_id FROM outbox")
    await db.execute(
        "UPDATE outbox SET status = 'pending', message_id = NULL, claimed_by = 12345,"
        " claimed_at = clock_timestamp() - interval '5 seconds', next_attempt_at = now()"
    )
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 1}
    assert await texts(sandbox, user) == [said(1)]
    assert await db.fetchval("SELECT message_id FROM outbox") == first_mid


async def test_an_unanswered_push_missing_from_its_chat_is_sent_once(
    sandbox: RunningSandbox, pool: asyncpg.Pool, db: asyncpg.Connection
) -> None:
    """The dead sender claimed it but never reached MAX; an older push with other words and a
    newer one of the same words from before the attempt do not count as it."""
    [user] = await people(sandbox, db, 1)
    await queue(db, user, 0)
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 1}
    await queue(db, user, 1)
    await db.execute(
        "UPDATE outbox SET claimed_by = 12345, claimed_at = clock_timestamp(),"
        " next_attempt_at = now() WHERE status = 'pending'"
    )
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 2}
    assert await texts(sandbox, user) == [said(0), said(1)]
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE unanswered_since IS NULL") == 2


async def test_an_outage_longer_than_the_attempts_is_waited_out(
    sandbox: RunningSandbox, pool: asyncpg.Pool, db: asyncpg.Connection
) -> None:
    [user] = await people(sandbox, db, 1)
    limits = replace(FAST, max_attempts=2)
    await sandbox.control.inject_fault(
        "http", status=503, count=5, method="POST", path="/messages"
    )
    await queue(db, user, 1)
    async with running_senders(pool, sandbox, limits=limits):
        assert await until_settled(db) == {"sent": 1}
    assert await db.fetchval("SELECT attempts FROM outbox") == 6
    assert await texts(sandbox, user) == [said(1)]


async def test_an_identical_push_claimed_by_a_dead_sender_is_not_taken_for_the_one_before(
    sandbox: RunningSandbox, pool: asyncpg.Pool, db: asyncpg.Connection
) -> None:
    """Found by tests/crash: a second identical reply (two /gallery in a row), claimed by a
    sender killed before its call left, was matched to the first reply's message and never
    sent. The search stops at the last message the outbox knows it delivered to the chat."""
    [user] = await people(sandbox, db, 1)
    chat = await db.fetchval("SELECT dialog_chat_id FROM users WHERE id = $1", user)
    same = {"message": {"text": "The gallery opens in the mini-app:"}}
    async with running_senders(pool, sandbox):
        await enqueue(db, kind="send", body=same, user_id=user, chat_id=chat)
        assert await until_settled(db) == {"sent": 1}
    second = await enqueue(db, kind="send", body=same, user_id=user, chat_id=chat)
    await db.execute(
        "UPDATE outbox SET claimed_by = 424242, attempts = 1,"
        " claimed_at = clock_timestamp() - interval '1.1 seconds' WHERE id = $1",
        second,
    )
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 2}
    assert await texts(sandbox, user) == [same["message"]["text"]] * 2
    mids = await db.fetchval("SELECT count(DISTINCT message_id) FROM outbox")
    assert mids == 2
