"""What a claim reads does not grow with the backlog: it walks the pending rows in the order it
takes them and stops once it has its chat heads. A chat's rows behind a row that backs off wait
as long as it does, so a backlog through an outage of MAX is not read at every claim either.
Counted by PostgreSQL (EXPLAIN ANALYZE), not timed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
import orjson

from storage import outbox
from storage.outbox_queue import enqueue

SENDER = 424242
BODY = {"message": {"text": "hi"}}


async def backlog(db: asyncpg.Connection, chats: int, per_chat: int) -> None:
    """`per_chat` pending rows for each of `chats` chats, queued round the chats in turn."""
    await db.execute(
        "INSERT INTO outbox (chat_id, kind, body) "
        "SELECT 9000000 + n % $1::int, 'send', $3 FROM generate_series(0, $1::int * $2::int - 1) n",
        chats,
        per_chat,
        BODY,
    )
    await db.execute("ANALYZE outbox")


async def measured(db: asyncpg.Connection) -> tuple[int, int, int]:
    """(rows the claim read from the outbox in its walk, as `o`, rows it claimed, rows it read
    from the outbox in all), after its lock statement as claim_due runs it; rolled back."""
    transaction = db.transaction()
    await transaction.start()
    try:
        await db.execute(outbox.CLAIM_LOCK)
        plan = await db.fetchval(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + outbox.CLAIM,
            30,
            timedelta(seconds=120),
            timedelta(seconds=0.51),
            30,
            SENDER,
        )
        claimed = await db.fetchval("SELECT count(*) FROM outbox WHERE claimed_by = $1", SENDER)
    finally:
        await transaction.rollback()
    root = _plan_root(plan)
    return _read(root, alias="o"), int(claimed), _read(root)


def _plan_root(plan: Any) -> dict[str, Any]:
    parsed = orjson.loads(plan) if isinstance(plan, str) else plan
    root: dict[str, Any] = parsed[0]["Plan"]
    return root


def _read(node: dict[str, Any], alias: str | None = None) -> int:
    """Rows read from the outbox by every scan in the plan (only those of `alias`, if given)."""
    own = 0
    scan = node.get("Relation Name") == "outbox" and "Scan" in node.get("Node Type", "")
    if scan and alias in (None, node.get("Alias")):
        rows = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
        own = int((rows + node.get("Rows Removed by Index Recheck", 0)) * node["Actual Loops"])
    return own + sum(_read(child, alias) for child in node.get("Plans", []))


async def test_a_claim_reads_about_what_it_takes_however_long_the_backlog(
    db: asyncpg.Connection,
) -> None:
    walked = {}
    for chats in (200, 2000):
        await db.execute("TRUNCATE outbox")
        await backlog(db, chats, 10)
        walked[chats], claimed, _ = await measured(db)
        assert claimed == 30
    # before: every pending row, 2,000 and 20,000
    assert walked[200] <= 100, walked
    assert walked[2000] <= 100, walked


async def test_a_chat_behind_a_row_backing_off_waits_with_it(db: asyncpg.Connection) -> None:
    await backlog(db, 50, 4)
    heads = await outbox.claim_due(db, SENDER, 60, 120, 0.0, 1000)
    assert len(heads) == 50  # each chat's first row
    for head in heads:  # MAX is away: every attempt is to be tried again in a minute
        await outbox.retry_later(db, head.id, 60.0, "503")
    # a push queued meanwhile joins the wait; a chat whose row is in flight passes none on
    late = await enqueue(db, kind="send", body=BODY, chat_id=heads[0].chat_id)
    fresh = await enqueue(db, kind="send", body=BODY, chat_id=1)
    waits = await db.fetch(
        "SELECT id, next_attempt_at - now() AS wait FROM outbox WHERE status = 'pending'"
    )
    assert all(r["wait"] >= timedelta(seconds=59) for r in waits if r["id"] != fresh), waits
    assert late is not None
    assert fresh is not None
    # two seconds on: the failed attempts no longer count against MAX's pace
    await db.execute("UPDATE outbox SET attempted_at = attempted_at - interval '2 s'")
    walked, claimed, _ = await measured(db)
    assert (walked, claimed) == (1, 1)  # only chat 1's row is due: nothing else is read
    in_flight = await outbox.claim_due(db, SENDER, 60, 120, 0.0, 1000)
    assert [r.id for r in in_flight] == [fresh]
    behind = await enqueue(db, kind="send", body=BODY, chat_id=1)
    due_in = await db.fetchval(
        "SELECT next_attempt_at - now() FROM outbox WHERE id = $1", behind
    )
    assert due_in <= timedelta(seconds=1)  # not the in-flight row's lease


async def test_neither_history_nor_stale_statistics_make_a_claim_read_everything(
    db: asyncpg.Connection,
) -> None:
    """Sent rows stay in the outbox for good, and a backlog outgrows the statistics taken
    before it came: with both, PostgreSQL chose to read every due row and sort them (99 ms a
    claim under bench/webhook.py), and the count of the last second's calls read every row
    ever attempted."""
    await db.execute("ALTER TABLE outbox SET (autovacuum_enabled = false)")
    try:
        await db.execute(
            "INSERT INTO outbox (chat_id, kind, body, status, attempts, attempted_at, sent_at) "
            "SELECT 9000000 + n % 500, 'send', $1, 'sent', 1, now() - make_interval(secs => n), "
            "now() - make_interval(secs => n) FROM generate_series(1, 20000) n",
            BODY,
        )
        await backlog(db, 500, 1)  # analysed here, with 500 pending
        await db.execute(
            "INSERT INTO outbox (chat_id, kind, body) "
            "SELECT 9000000 + n % 500, 'send', $1 FROM generate_series(1, 20000) n",
            BODY,
        )
        walked, claimed, read = await measured(db)
    finally:
        await db.execute("ALTER TABLE outbox RESET (autovacuum_enabled)")
    assert claimed == 30
    assert walked <= 100, walked
    assert read <= 300, read  # before: 20,000 pending and 20,000 sent rows, read over
