"""Three replicas behind Caddy: people use the bot and the mini-app through the balancer while
one replica is SIGKILLed and started again, and nothing is lost or done twice."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from sandbox.control import SandboxControl
from tests.cluster import checks
from tests.cluster.report import Figures, Timeline, first_served, publish
from tests.cluster.scenario import (
    CHAT_PHOTOS,
    UPLOADS,
    Ledger,
    direct_transfer,
    new_session,
    qr_transfer,
    send_chat_photos,
    trade,
    upload,
)
from tests.cluster.stack import Cluster, wait_replica_ready
from tests.cluster.traffic import Recorder, Session, favour_until_stopped, read_until_stopped

pytestmark = [pytest.mark.cluster, pytest.mark.timeout(300)]

PAIRS = 4  # three trade, one hands objects over by QR and by name
VICTIM = 1
KILL_AFTER_S = 3.0
PAIR_STAGGER_S = 1.2
READ_PATHS = ["/api/me/objects?limit=20", "/api/objects?limit=20", "/api/me", "/health", "/app"]


async def kill_and_restart(cluster: Cluster, index: int, after_s: float) -> Timeline:
    await asyncio.sleep(after_s)
    replica = cluster.replicas[index]
    killed, killed_wall = time.monotonic(), time.time()
    replica.kill()
    replica.start()
    await asyncio.to_thread(wait_replica_ready, cluster, index)
    return Timeline(killed, time.monotonic(), killed_wall)


async def pair_story(recorder: Recorder, control: SandboxControl, ledger: Ledger,
                     pair: int, a: Session, b: Session) -> None:
    seed = 1000 * (pair + 1)
    chat = asyncio.gather(send_chat_photos(control, ledger, a, seed, 1.0),
                          send_chat_photos(control, ledger, b, seed + 100, 1.0))
    await asyncio.sleep(pair * PAIR_STAGGER_S)
    mine = [await upload(recorder, ledger, a, seed + 200 + n, n) for n in range(UPLOADS)]
    theirs = [await upload(recorder, ledger, b, seed + 300 + n, n) for n in range(UPLOADS)]
    if pair < PAIRS - 1:
        await trade(recorder, ledger, a, b, mine[0], theirs[0])
    else:
        await qr_transfer(recorder, ledger, a, b, mine[0])
        await direct_transfer(recorder, control, ledger, b, a, theirs[1])
    await chat


@pytest.fixture
async def control(cluster: Cluster) -> AsyncIterator[SandboxControl]:
    async with SandboxControl(cluster.sandbox_url) as running:
        yield running


@pytest.fixture
async def recorder(cluster: Cluster) -> AsyncIterator[Recorder]:
    limits = httpx.Limits(max_connections=50)
    async with httpx.AsyncClient(base_url=cluster.public_url, verify=cluster.tls(), timeout=30,
                                 limits=limits) as http:  # fmt: skip
        yield Recorder(http)


@pytest.fixture
async def db(cluster: Cluster) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(cluster.database_url)
    try:
        yield conn
    finally:
        await conn.close()


async def run_scenario(cluster: Cluster, recorder: Recorder, control: SandboxControl,
                       sessions: list[Session], ledger: Ledger) -> Timeline:
    """Every pair's story, three steady readers and two writers, with the kill in the middle;
    they go on for two seconds after the replica is back."""
    stop = asyncio.Event()
    readers = [asyncio.create_task(read_until_stopped(recorder, READ_PATHS, s.headers, stop))
               for s in sessions[:3]]  # fmt: skip
    readers += [asyncio.create_task(favour_until_stopped(recorder, s, stop))
                for s in sessions[3:5]]  # fmt: skip
    killing = asyncio.create_task(kill_and_restart(cluster, VICTIM, KILL_AFTER_S))
    try:
        await asyncio.gather(*(
            pair_story(recorder, control, ledger, p, sessions[2 * p], sessions[2 * p + 1])
            for p in range(PAIRS)
        ))  # fmt: skip
        timeline = await killing
        await asyncio.sleep(2.0)
    finally:
        stop.set()
        killing.cancel()
        await asyncio.gather(*readers, killing, return_exceptions=True)
    for reader in readers:
        reader.result()  # a reader's unexpected answer fails the test
    return timeline


async def test_a_replica_killed_mid_traffic_loses_nothing_and_doubles_nothing(
    cluster: Cluster, recorder: Recorder, control: SandboxControl, db: asyncpg.Connection
) -> None:
    started = time.monotonic()
    sessions = list(await asyncio.gather(
        *(new_session(recorder, control, f"p{n}") for n in range(2 * PAIRS))))
    ledger = Ledger()
    timeline = await run_scenario(cluster, recorder, control, sessions, ledger)
    elapsed = time.monotonic() - started
    settled = await checks.settle(db, control, len(sessions) * (CHAT_PHOTOS + UPLOADS))

    ids = await checks.check_objects(db, ledger)
    await checks.check_cards(control, ledger, ids, sessions)
    await checks.check_trades_and_transfers(db, ledger)
    pushes = await checks.check_pushes(db, control, sessions)
    api_calls = await checks.check_limits(control)
    owners = {s.user_id: s for s in sessions}
    current = {r["id"]: owners[r["owner_id"]] for r in await db.fetch(
        "SELECT id, owner_id FROM art_objects")}  # fmt: skip
    reads = await checks.check_media(cluster, recorder, current)
    rounds = await checks.check_jobs(db, cluster.started_at)

    served = first_served(cluster.replicas[VICTIM].log_text())
    timeline = dataclasses.replace(timeline, served_wall=served)
    figures = Figures(cluster.media, recorder.outcomes, timeline, elapsed,
                      await control.webhook_deliveries())
    figures.facts.update({
        "objects": len(ids), "trades": len(ledger.trades), "transfers": len(ledger.transfers),
        "outbox rows sent once": pushes, "of them after more than one attempt":
        await checks.pushes_retried(db), "settled after the scenario in": f"{settled:.1f} s",
        "Bot API calls, none refused with 429": api_calls,
        "media files read (each replica directly + Caddy)": reads,
        "job rounds on all replicas together": rounds,
    })  # fmt: skip
    publish(figures)
    idempotent = [o for o in recorder.outcomes if o.failed and o.method in ("GET", "HEAD")]
    assert idempotent == []
