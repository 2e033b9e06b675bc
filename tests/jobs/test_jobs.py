"""Periodic jobs: what each prunes or expires, and one replica at a time."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from server.jobs import Job, jobs, run_job
from server.keys import DB_POOL, SETTINGS
from storage.db import create_pool
from storage.metrics import REGISTRY

Client = TestClient[web.Request, web.Application]


def job_named(app: web.Application, name: str) -> Job:
    [job] = [j for j in jobs(app) if j.name == name]
    return job


async def test_old_idempotency_keys_are_pruned_and_recent_ones_kept(
    client: Client, db: asyncpg.Connection
) -> None:
    await db.execute(
        "INSERT INTO processed_updates (key, update_type, processed_at) VALUES "
        "('old', 'message_created', now() - interval '4 days'), "
        "('new', 'message_created', now() - interval '2 days')"
    )
    await run_job(client.app, job_named(client.app, "prune processed updates"))
    assert await db.fetchval("SELECT array_agg(key) FROM processed_updates") == ["new"]


async def test_finished_login_families_are_pruned_whole(
    client: Client, db: asyncpg.Connection
) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES (1, 'A')")
    insert = (
        "INSERT INTO auth_sessions (user_id, token_hash, family, expires_at, revoked_at) "
        "VALUES (1, $1, $2, now() + $3::interval, $4) RETURNING id"
    )
    expired, live, revoked = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    day = timedelta(days=1)
    await db.fetchval(insert, b"a" * 32, expired, -3 * day, None)
    await db.fetchval(insert, b"b" * 32, expired, -2 * day, None)
    await db.fetchval(insert, b"c" * 32, live, -3 * day, None)  # rotated: its successor lives
    await db.fetchval(insert, b"d" * 32, live, 20 * day, None)
    await db.execute(
        "INSERT INTO auth_sessions (user_id, token_hash, family, expires_at, revoked_at) "
        "VALUES (1, $1, $2, now() + interval '20 days', now() - interval '2 days')",
        b"e" * 32,
        revoked,
    )
    await run_job(client.app, job_named(client.app, "prune sessions"))
    left = await db.fetch("SELECT DISTINCT family FROM auth_sessions")
    assert {r["family"] for r in left} == {live}
    assert await db.fetchval("SELECT count(*) FROM auth_sessions") == 2


async def test_expired_chat_dialogs_are_pruned(client: Client, db: asyncpg.Connection) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES (1, 'A'), (2, 'B')")
    await db.execute(
        "INSERT INTO bot_dialogs (user_id, state, expires_at) VALUES "
        "(1, 'rename', now() - interval '1 minute'), (2, 'rename', now() + interval '1 minute')"
    )
    await run_job(client.app, job_named(client.app, "prune chat dialogs"))
    assert await db.fetchval("SELECT array_agg(user_id) FROM bot_dialogs") == [2]


async def test_a_job_runs_once_per_period_whatever_the_replicas(
    client: Client, db: asyncpg.Connection
) -> None:
    running = 0
    overlaps = 0
    rounds = 0

    async def slow(app: web.Application) -> None:
        nonlocal running, overlaps, rounds
        running += 1
        rounds += 1
        overlaps += running > 1
        await asyncio.sleep(0.2)
        running -= 1

    job = Job("exclusive test job", timedelta(minutes=1), slow)
    await asyncio.gather(*(run_job(client.app, job) for _ in range(5)))
    assert (rounds, overlaps) == (1, 0)
    await run_job(client.app, job)  # another replica's scheduler, later in the same period
    assert rounds == 1
    await db.execute("UPDATE job_rounds SET started_at = started_at - interval '55 seconds'")
    await run_job(client.app, job)  # 0.9 of a period on: the next period's round
    assert rounds == 2
    assert await db.fetchval("SELECT rounds FROM job_rounds WHERE name = $1", job.name) == 2


async def test_a_round_holds_no_connection_while_its_job_runs(client: Client) -> None:
    """Seven jobs firing together on a pool of two: a job that held a connection while asking
    for another would wait for ever."""
    settings = client.app[SETTINGS]
    pool = await create_pool(settings.database.url, settings.database.model_copy(
        update={"pool_min": 1, "pool_max": 2}))  # fmt: skip
    app = web.Application()
    app[DB_POOL] = pool

    async def needs_a_connection(app: web.Application) -> int:
        async with app[DB_POOL].acquire() as conn:
            await asyncio.sleep(0.05)
            return int(await conn.fetchval("SELECT 1"))

    try:
        every = timedelta(minutes=1)
        named = [Job(f"pool test job {n}", every, needs_a_connection) for n in range(7)]
        async with asyncio.timeout(10):
            await asyncio.gather(*(run_job(app, job) for job in named))
    finally:
        await pool.close()


async def test_a_round_past_its_deadline_is_cancelled_and_the_job_goes_on(
    client: Client, db: asyncpg.Connection, caplog: pytest.LogCaptureFixture
) -> None:
    """A round waiting on something that never answers used to keep its job from ever running
    again on this replica (the scheduler starts none while one runs)."""
    rounds, finished = 0, 0

    async def hangs_first(app: web.Application) -> int:
        nonlocal rounds, finished
        rounds += 1
        if rounds == 1:
            await asyncio.Event().wait()  # nothing ever sets it
        finished += 1
        return 1

    name = f"deadline test job {uuid.uuid4().hex[:6]}"
    job = Job(name, timedelta(minutes=1), hangs_first, deadline=timedelta(seconds=0.3))
    failed = REGISTRY.get_sample_value("gallery_job_failures_total", {"job": name}) or 0.0
    async with asyncio.timeout(5):
        await run_job(client.app, job)
    assert (rounds, finished) == (1, 0)
    assert REGISTRY.get_sample_value("gallery_job_failures_total", {"job": name}) == failed + 1
    assert "ran past its deadline" in caplog.text
    await db.execute("UPDATE job_rounds SET started_at = started_at - interval '1 minute'")
    await run_job(client.app, job)  # the next period's round runs, and ends
    assert (rounds, finished) == (2, 1)


def test_the_deadline_setting_reaches_every_job(client: Client) -> None:
    settings = client.app[SETTINGS]
    app = web.Application()
    app[SETTINGS] = settings.model_copy(update={
        "jobs": settings.jobs.model_copy(update={"round_deadline_minutes": 7})})  # fmt: skip
    assert {job.deadline for job in jobs(app)} == {timedelta(minutes=7)}
    assert {job.name for job in jobs(app)} == {job.name for job in jobs(client.app)}
