"""The app killed with SIGKILL at random moments and started again at once on the same database
and media; for each crash, how long until the outbox sends again. Process control blocks, so it
runs in a thread: the event loop must go on serving the in-process sandbox the app talks to."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from sandbox.control import SandboxControl
from tests.crash.app import GalleryProcess

RESUME_WAIT_S = 30.0
# MAX takes a moment to answer a send; the sandbox answers at once unless told otherwise. With
# the answer this late a kill often lands on a push MAX has taken but the app has not marked.
MAX_ANSWER_S = 0.15
# the first of the pushes that were waiting at the kill to be sent after it
RESUMED = "SELECT min(sent_at) FROM outbox WHERE sent_at > $1 AND created_at < $1"
# read once the process is dead, when nothing can change them: the pushes waiting, and those
# its sender had claimed (in flight, or about to be)
AT_KILL = """
SELECT count(*) AS pending, count(claimed_by) AS claimed FROM outbox WHERE status = 'pending'
"""


@dataclass(frozen=True)
class Crash:
    uptime_s: float  # how long the killed process had been ready
    pending_at_kill: int  # pushes waiting when it died
    claimed_at_kill: int  # of which claimed by its sender
    restart_s: float  # from the kill until the new process answered /ready
    # from the kill until the first push waiting then was sent (database clock); None when
    # none was waiting
    resumed_s: float | None
    ready_to_resume_s: float | None  # from /ready until then

    def line(self) -> str:
        def seconds(value: float | None) -> str:
            if value is None:
                return "never" if self.pending_at_kill else "-"
            return f"{value:.2f}s"

        return (
            f"up {self.uptime_s:.1f}s, {self.pending_at_kill} pushes pending at the kill "
            f"({self.claimed_at_kill} claimed); "
            f"ready again after {self.restart_s:.2f}s; pushes resumed "
            f"{seconds(self.resumed_s)} after the kill, "
            f"{seconds(self.ready_to_resume_s)} after ready"
        )


async def max_answers_late(control: SandboxControl, for_s: float) -> None:
    """Every send and callback answer done at once, but answered MAX_ANSWER_S later."""
    for path in ("/messages", "/answers"):
        await control.inject_fault(
            "answer_late", method="POST", path=path, duration_s=for_s, delay_s=MAX_ANSWER_S
        )


async def clock(db: asyncpg.Connection) -> datetime:
    now: datetime = await db.fetchval("SELECT clock_timestamp()")
    return now


async def first_push_since(
    db: asyncpg.Connection, since: datetime, waiting: int
) -> datetime | None:
    deadline = time.monotonic() + RESUME_WAIT_S
    while waiting and time.monotonic() < deadline:
        sent: datetime | None = await db.fetchval(RESUMED, since)
        if sent is not None:
            return sent
        await asyncio.sleep(0.05)
    return None


async def crash_once(app: GalleryProcess, db: asyncpg.Connection, up_since: float) -> Crash:
    await asyncio.to_thread(app.kill)
    killed_at, killed = await clock(db), time.monotonic()
    at_kill = await db.fetchrow(AT_KILL)
    assert at_kill is not None
    waiting = asyncio.create_task(first_push_since(db, killed_at, at_kill["pending"]))
    await asyncio.to_thread(app.start)
    restart_s = time.monotonic() - killed
    ready_at = killed_at + timedelta(seconds=restart_s)  # `db` is the waiter's meanwhile
    resumed = await waiting
    return Crash(
        uptime_s=killed - up_since,
        pending_at_kill=at_kill["pending"],
        claimed_at_kill=at_kill["claimed"],
        restart_s=restart_s,
        resumed_s=None if resumed is None else (resumed - killed_at).total_seconds(),
        ready_to_resume_s=None if resumed is None else (resumed - ready_at).total_seconds(),
    )


async def crash_repeatedly(
    app: GalleryProcess, db: asyncpg.Connection, kills: int, rng: random.Random
) -> list[Crash]:
    """`kills` crashes, each after a random while up; the app is running again at the end."""
    crashes: list[Crash] = []
    for _ in range(kills):
        up_since = time.monotonic()
        await asyncio.sleep(rng.uniform(0.8, 3.0))
        crashes.append(await crash_once(app, db, up_since))
    return crashes
