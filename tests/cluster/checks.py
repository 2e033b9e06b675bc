"""What must hold after the kill, read from the database and from the sandbox's records."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import asyncpg
import httpx
from aiohttp import web

from bot.payloads import encode
from config.settings import Settings
from sandbox.control import SandboxControl
from server.jobs import ROUND_SLACK, jobs
from server.keys import SETTINGS
from tests.cluster.scenario import Ledger
from tests.cluster.stack import Cluster
from tests.cluster.traffic import Recorder, Session

SETTLE_S = 45.0
# a push the killed replica had claimed waits out its lease (bot/sender.py: 120 s) before
# another replica sends it
LEASE_MARGIN_S = 15.0


async def settle_deadline(db: asyncpg.Connection, started: float) -> float:
    """SETTLE_S from `started`, or later when a waiting push is due later (a dead lease)."""
    due_in = await db.fetchval(
        "SELECT extract(epoch FROM max(next_attempt_at) - now()) FROM outbox "
        "WHERE status = 'pending'")  # fmt: skip
    later = time.monotonic() + float(due_in) + LEASE_MARGIN_S if due_in is not None else 0.0
    return max(started + SETTLE_S, later)


async def settle(db: asyncpg.Connection, control: SandboxControl, objects: int) -> float:
    """Wait until every object exists, no push waits, and the sandbox has nothing to deliver;
    how long that took."""
    started = time.monotonic()
    while True:
        made = await db.fetchval("SELECT count(*) FROM art_objects")
        waiting = await db.fetchval("SELECT count(*) FROM outbox WHERE status = 'pending'")
        backlog = (await control.stats())["webhook_backlog"]
        if made >= objects and waiting == 0 and backlog == 0:
            return time.monotonic() - started
        if time.monotonic() > await settle_deadline(db, started):
            raise AssertionError(f"not settled: {made}/{objects} objects, {waiting} pushes "
                                 f"waiting, {backlog} webhooks to deliver")  # fmt: skip
        await asyncio.sleep(0.3)


async def pushes_retried(db: asyncpg.Connection) -> int:
    """Pushes that took more than one attempt (a refusal, or a lease of the killed replica)."""
    count: int = await db.fetchval("SELECT count(*) FROM outbox WHERE attempts > 1")
    return count


async def check_objects(db: asyncpg.Connection, ledger: Ledger) -> dict[str, int]:
    """Every photo is exactly one object with one 'created' row; titles are unique per photo."""
    rows = await db.fetch(
        "SELECT o.id, o.title, o.creator_id, count(h.*) FILTER (WHERE h.reason = 'created') AS c "
        "FROM art_objects o LEFT JOIN ownership_history h ON h.object_id = o.id "
        "GROUP BY o.id"
    )
    titles = Counter(r["title"] for r in rows)
    expected = set(ledger.chat_titles) | set(ledger.uploads)
    assert set(titles) == expected
    assert [t for t, n in titles.items() if n != 1] == []
    assert [r["id"] for r in rows if r["c"] != 1] == []
    by_title = {r["title"]: r for r in rows}
    assert {t: by_title[t]["creator_id"] for t in ledger.chat_titles} == ledger.chat_titles
    assert {t: by_title[t]["id"] for t in ledger.uploads} == ledger.uploads
    return {t: int(r["id"]) for t, r in by_title.items()}


async def check_cards(control: SandboxControl, ledger: Ledger, ids: dict[str, int],
                      sessions: list[Session]) -> None:
    """Each chat photo got one card in its own chat, and no refusal."""
    chats = {s.user_id: await control.chat_messages(user_id=s.user_id) for s in sessions}
    for title, user_id in ledger.chat_titles.items():
        payload = encode("tq", ids[title])
        cards = [e for e in chats[user_id] if any(
            b.get("payload") == payload for row in e.get("keyboard") or [] for b in row)]
        assert len(cards) == 1, (title, cards)


async def check_trades_and_transfers(db: asyncpg.Connection, ledger: Ledger) -> None:
    """Each resolved once: its status, and one history row per object it moved."""
    trades = await db.fetch("SELECT id, status FROM trades WHERE id = ANY($1)", ledger.trades)
    assert sorted((r["id"], r["status"]) for r in trades) == sorted(
        (t, "accepted") for t in ledger.trades)
    moves = await db.fetch(
        "SELECT reason, reference_id, count(*) AS n FROM ownership_history "
        "WHERE reason <> 'created' GROUP BY reason, reference_id")
    counted = {(r["reason"], r["reference_id"]): r["n"] for r in moves}
    assert counted == {**{("trade", t): 2 for t in ledger.trades},
                       **{("transfer", t): 1 for t in ledger.transfers}}
    transfers = await db.fetch("SELECT id, status FROM transfers WHERE id = ANY($1)",
                               ledger.transfers)
    assert {r["status"] for r in transfers} == {"claimed"}
    assert len(transfers) == len(ledger.transfers)


async def check_pushes(db: asyncpg.Connection, control: SandboxControl,
                       sessions: list[Session]) -> int:
    """Every push was sent once: each sent row is one message at MAX, and MAX has no bot
    message that no row accounts for. The number of pushes sent."""
    rows = await db.fetch("SELECT status, kind, message_id FROM outbox")
    assert {r["status"] for r in rows} <= {"sent"}, Counter(r["status"] for r in rows)
    sent = [r["message_id"] for r in rows if r["kind"] == "send"]
    assert len(sent) == len(set(sent))
    delivered = []
    for session in sessions:
        events = await control.chat_messages(user_id=session.user_id)
        delivered += [e["mid"] for e in events if e.get("from") == "bot"]
    assert sorted(delivered) == sorted(sent)
    return len(rows)


async def check_limits(control: SandboxControl) -> int:
    """MAX's limits held across the replicas: no 429, none counted. The Bot API calls made."""
    stats = await control.stats()
    assert stats["limit_violations"] == []
    calls = await control.requests_log()
    assert [c for c in calls if c["status"] == 429] == []
    return len(calls)


def job_periods() -> dict[str, float]:
    """Each scheduled job's period in seconds, as the replicas schedule them."""
    app = web.Application()
    app[SETTINGS] = Settings()
    return {job.name: job.every.total_seconds() for job in jobs(app)}


async def check_jobs(db: asyncpg.Connection, since: float) -> dict[str, int]:
    """Each job ran, and at most once per period on all replicas together (every replica,
    and the restarted one, schedules every job from its own start)."""
    rounds = {r["name"]: r["rounds"] for r in await db.fetch("SELECT * FROM job_rounds")}
    lived = time.time() - since
    allowed = {name: int(lived // (every * ROUND_SLACK)) + 1
               for name, every in job_periods().items()}  # fmt: skip
    assert set(rounds) == set(allowed)
    assert {n: r for n, r in rounds.items() if r > allowed[n]} == {}
    return rounds


async def media_urls(recorder: Recorder, owner: Session, object_id: int) -> list[str]:
    response, _ = await recorder.answered("GET", f"/api/objects/{object_id}",
                                          headers=owner.headers)
    assert response.status_code == 200, response.text
    media: dict[str, Any] = response.json()["media"]
    return [media["thumb"], media["preview"], media["full"]]


async def check_media(cluster: Cluster, recorder: Recorder, owners: dict[int, Session]) -> int:
    """Every object's files, read through every replica directly and through Caddy, are the
    same bytes. The number of files read."""
    bases = [cluster.replica_url(i) for i in range(len(cluster.replicas))]
    reads = 0
    async with httpx.AsyncClient(verify=cluster.tls(), timeout=30) as http:
        for object_id, owner in owners.items():
            for url in await media_urls(recorder, owner, object_id):
                answers = [await http.get(base + url) for base in [*bases, cluster.public_url]]
                assert [a.status_code for a in answers] == [200] * len(answers), url
                assert len({a.content for a in answers}) == 1, url
                reads += len(answers)
    return reads
