"""Periodic jobs on APScheduler 3 (AsyncIOScheduler in a cleanup_ctx).

Several replicas schedule every job; each period one of them runs it. A replica first claims the
job's round in the database (storage.maintenance.claim_job_round: one statement, which fails when
another replica started a round less than a period ago) and only then runs it. No connection is
held while the job runs: a lock held on one connection while the job asks the same pool for
another starved the pool once several jobs fired together (seen in tests/cluster: a replica with
pool_max = 8 hung for good). A round that outlives its period may overlap the next one, which is
safe: every job works in statements that are correct even if two ran at once (UPDATE … WHERE
status = 'pending' AND expires_at < now()). A round still running after jobs.round_deadline_minutes
is cancelled and counted as failed: the scheduler starts no round of a job while one runs here
(max_instances = 1), so one round stuck on something that never answers would otherwise stop
that job on this replica for good.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from config.moderation import ModerationSettings
from config.settings import JobsSettings
from gallery.account.exports import build_due, sweep_exports
from gallery.favorites import announce_favorites
from gallery.moderation.reports import announce_reports
from gallery.photos.sweep import sweep_orphans
from gallery.profiles.requests import expire_profile_requests
from gallery.trades.expiry import expire_trades
from gallery.transfers.closing import expire_transfers
from server.keys import DB_POOL, MEDIA_STORE, SETTINGS
from storage import accounts, dialogs, limits, maintenance, updates
from storage.db import CONNECTION_ERRORS, Connection
from storage.media import MediaUnavailable
from storage.metrics import JOB_FAILURES, JOB_RUNS

log = logging.getLogger(__name__)
SESSION_GRACE = timedelta(days=1)
# Each replica's scheduler fires on its own clock: a round claimed a little less than a period
# after the last one still counts as the next period's.
ROUND_SLACK = 0.9
ConnectionJob = Callable[[Connection], Awaitable[int]]
ROUND_DEADLINE = timedelta(minutes=JobsSettings.model_fields["round_deadline_minutes"].default)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[web.Application], Awaitable[object]]
    deadline: timedelta = ROUND_DEADLINE  # a round still running then is cancelled


def with_connection(work: ConnectionJob) -> Callable[[web.Application], Awaitable[int]]:
    async def run(app: web.Application) -> int:
        async with app[DB_POOL].acquire() as conn:
            return await work(conn)

    return run


async def sweep_media(app: web.Application) -> list[str]:
    try:
        return await sweep_orphans(app[DB_POOL], app[MEDIA_STORE])
    except MediaUnavailable as exc:  # the next round sweeps what this one could not
        log.warning("media sweep skipped: %s", exc)
        return []


def jobs(app: web.Application) -> list[Job]:
    deadline = timedelta(minutes=app[SETTINGS].jobs.round_deadline_minutes)
    return [dataclasses.replace(job, deadline=deadline) for job in all_jobs(app)]


def all_jobs(app: web.Application) -> list[Job]:
    settings = app[SETTINGS]
    keep = timedelta(days=settings.jobs.processed_updates_keep_days)
    return [
        Job(
            "prune processed updates",
            timedelta(hours=1),
            with_connection(lambda c: updates.prune_processed_updates(c, keep)),
        ),
        Job(
            "prune sessions",
            timedelta(hours=1),
            with_connection(lambda c: maintenance.prune_sessions(c, SESSION_GRACE)),
        ),
        Job("prune chat dialogs", timedelta(minutes=10), with_connection(dialogs.prune_dialogs)),
        # abuse-limit counters of windows that have ended (a day's live until the day is over)
        Job("prune rate counters", timedelta(minutes=5), with_connection(limits.prune_counters)),
        # owners who asked to hear of favourites: one push per object an hour at most
        Job("announce favourites", timedelta(minutes=1), with_connection(announce_favorites)),
        Job(
            "sweep media orphans",
            timedelta(minutes=settings.jobs.orphan_sweep_minutes),
            sweep_media,
        ),
        *extra_jobs(),
        *account_jobs(app),
        *moderation_jobs(settings.moderation),
    ]


def extra_jobs() -> list[Job]:
    """Expiry of what waits for an answer: trades, transfers (minutes), access requests."""
    return [
        Job("expire trades", timedelta(minutes=1), with_connection(expire_trades)),
        Job("expire transfers", timedelta(seconds=20), with_connection(expire_transfers)),
        Job(
            "expire profile requests",
            timedelta(minutes=5),
            with_connection(expire_profile_requests),
        ),
    ]


def account_jobs(app: web.Application) -> list[Job]:
    """Data exports: queued ones built (each claimed by one builder, SKIP LOCKED), expired
    ones deleted with their files, unused deletion tokens pruned."""
    account = app[SETTINGS].account

    async def build(app: web.Application) -> int:
        return await build_due(app[DB_POOL], app[MEDIA_STORE], account)

    async def sweep(app: web.Application) -> int:
        async with app[DB_POOL].acquire() as conn:
            await accounts.prune_tokens(conn)
        return await sweep_exports(app[DB_POOL], app[MEDIA_STORE])

    return [
        Job("build account exports", timedelta(seconds=account.export_poll_s), build),
        Job("sweep account exports", timedelta(minutes=10), sweep),
    ]


def moderation_jobs(moderation: ModerationSettings) -> list[Job]:
    """The operators hear of new reports once per period, whatever their number."""
    return [
        Job(
            "announce reports",
            timedelta(minutes=moderation.report_batch_minutes),
            with_connection(lambda c: announce_reports(c, moderation)),
        )
    ]


async def run_job(app: web.Application, job: Job) -> None:
    """One round of `job`, unless another replica has run it within this period; cancelled
    when it runs past `job.deadline`."""
    claimed = False
    deadline = asyncio.timeout(job.deadline.total_seconds())
    try:
        async with deadline:
            async with app[DB_POOL].acquire() as conn:
                claimed = await maintenance.claim_job_round(conn, job.name, job.every * ROUND_SLACK)
            if not claimed:
                log.debug("job %r ran elsewhere this period; skipped", job.name)
                return
            JOB_RUNS.labels(job.name).inc()
            result = await job.run(app)
    except CONNECTION_ERRORS as exc:  # TimeoutError among them: the deadline's too
        count_failure(job, claimed)
        if deadline.expired():
            log.error("job %r ran past its deadline (%s) and was cancelled", job.name, job.deadline)
        else:
            log.warning("job %r skipped: database unavailable (%r)", job.name, exc)
        return
    except (asyncpg.PostgresError, OSError):
        count_failure(job, claimed)
        log.exception("job %r failed", job.name)
        return
    log.log(logging.INFO if result else logging.DEBUG, "job %r done: %s", job.name, result)


def count_failure(job: Job, claimed: bool) -> None:
    """A round this replica claimed and did not finish (a database gone before the claim is
    no round at all)."""
    if claimed:
        JOB_FAILURES.labels(job.name).inc()


async def scheduler_ctx(app: web.Application) -> AsyncIterator[None]:
    scheduler = AsyncIOScheduler(timezone=UTC)
    start = datetime.now(UTC) + timedelta(seconds=5)
    for job in jobs(app):
        scheduler.add_job(
            run_job,
            "interval",
            args=(app, job),
            name=job.name,
            seconds=job.every.total_seconds(),
            id=job.name,
            next_run_time=start,
            max_instances=1,
            coalesce=True,
        )
    scheduler.start()
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
