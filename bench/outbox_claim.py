"""What one claim of due pushes costs as the backlog grows, against the claim it replaced.

The push sender claims every 0.1 s while a backlog waits on MAX's pace (bot/sender.py). The
claim used to join every pending row to its chat's earlier rows and sort them all, and to read
every sent row ever to count the calls of the last second; it now walks the pending rows in the
order it takes them, stops once it has its chat heads, and reads only recent attempts (storage/
outbox.py CLAIM, migration 0024). Both run here on one scratch database, one after the other,
on backlogs queued round 2,000 chats behind a history of sent rows, with statistics taken
before the backlog came (a backlog outgrows them, as under bench/webhook.py), and once more with
every chat's first row backing off (MAX away; the rows behind it now wait with it). Figures:
median of 15 claims (the lock statement and the claim), each in its own transaction, rolled
back.

    python bench/outbox_claim.py [--sizes 1000,10000,40000] [--history 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import scratch_database
from bench.reference import migrated
from storage import outbox
from storage.db import init_connection
from storage.outbox_claims import LIVE_SENDERS

CHATS = 2000
SENDER = 424242
ROUNDS = 15
SENT = """
INSERT INTO outbox (chat_id, kind, body, status, attempts, attempted_at, sent_at, created_at)
SELECT 9000000 + n % $2::int, 'send', '{"message": {"text": "hi"}}'::jsonb, 'sent', 1,
       now() - make_interval(secs => n), now() - make_interval(secs => n),
       now() - make_interval(secs => n + 1)
FROM generate_series(1, $1::int) n
"""
QUEUE = """
INSERT INTO outbox (chat_id, kind, body)
SELECT 9000000 + n % $2::int, 'send', '{"message": {"text": "hi"}}'::jsonb
FROM generate_series(1, $1::int) n
"""
# every chat's first row failed a moment ago and waits a minute (storage/outbox.py RETRY)
BACKING_OFF = """
UPDATE outbox SET attempts = 1, attempted_at = clock_timestamp() - interval '2 s',
       next_attempt_at = now() + interval '1 hour'
WHERE id IN (SELECT min(id) FROM outbox WHERE status = 'pending' GROUP BY chat_id)
"""
FOLLOWERS_WAIT = """
UPDATE outbox f SET next_attempt_at = h.next_attempt_at
FROM outbox h
WHERE h.status = 'pending' AND h.attempts = 1 AND f.status = 'pending' AND h.chat_id = f.chat_id
  AND f.id > h.id
"""
# The claim before migration 0024, kept as the reference, and its lock statement
REFERENCE_LOCK = "SELECT pg_advisory_xact_lock(3, 1)"
REFERENCE = """
WITH live AS MATERIALIZED (<live>),
busy AS (
    SELECT count(*) AS n FROM outbox
    WHERE attempted_at > clock_timestamp() - interval '1010 milliseconds'
       OR (claimed_at > clock_timestamp() - $2::interval
           AND (claimed_by IS NULL OR claimed_by IN (SELECT sender FROM live)
                OR claimed_at > clock_timestamp() - interval '1010 milliseconds'))
)
UPDATE outbox SET attempts = attempts + 1, next_attempt_at = now() + $2::interval,
                  claimed_at = clock_timestamp(), claimed_by = $5,
                  unanswered_since = CASE WHEN claimed_at IS NULL THEN unanswered_since
                                          ELSE COALESCE(unanswered_since, claimed_at) END
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.status = 'pending'
      AND (o.next_attempt_at <= now()
           OR (o.claimed_by IS NOT NULL
               AND o.claimed_at < clock_timestamp() - interval '1010 milliseconds'
               AND o.claimed_by NOT IN (SELECT sender FROM live)))
      AND NOT EXISTS (
          SELECT 1 FROM outbox e
          WHERE e.status = 'pending' AND e.id < o.id
            AND COALESCE(e.chat_id, e.user_id) = COALESCE(o.chat_id, o.user_id)
      )
      AND NOT EXISTS (
          SELECT 1 FROM outbox s
          WHERE s.attempted_at > clock_timestamp() - $3::interval
            AND COALESCE(s.chat_id, s.user_id) = COALESCE(o.chat_id, o.user_id)
      )
    ORDER BY LEAST(o.next_attempt_at, o.claimed_at), o.id
    LIMIT LEAST($1, GREATEST(0, $4 - (SELECT n FROM busy)))
    FOR UPDATE SKIP LOCKED
)
RETURNING *
""".replace("<live>", LIVE_SENDERS)


async def claim_ms(conn: asyncpg.Connection, lock: str, statement: str) -> tuple[float, int]:
    """Median milliseconds of a claim (its lock statement included), and how many it took;
    3 rounds, not ROUNDS, when one takes over a second (the old claim on some backlogs)."""
    times: list[float] = []
    taken = 0
    while len(times) < (ROUNDS if not times or times[0] < 1000 else 3):
        transaction = conn.transaction()
        await transaction.start()
        started = time.perf_counter()
        await conn.execute(lock)
        rows = await conn.fetch(
            statement, 30, timedelta(seconds=120), timedelta(seconds=0.51), 30, SENDER
        )
        times.append((time.perf_counter() - started) * 1000)
        await transaction.rollback()
        taken = len(rows)
    return statistics.median(times), taken


async def measure(conn: asyncpg.Connection, size: int, history: int, backing_off: bool) -> None:
    await conn.execute("TRUNCATE outbox")
    await conn.execute(SENT, history, CHATS)
    await conn.execute(QUEUE, 100, CHATS)
    await conn.execute("ANALYZE outbox")  # then the backlog comes faster than statistics
    await conn.execute(QUEUE, size - 100, CHATS)
    if backing_off:
        await conn.execute(BACKING_OFF)
    reference, reference_took = await claim_ms(conn, REFERENCE_LOCK, REFERENCE)
    if backing_off:  # what the app does now as a row backs off; the old code left them due
        await conn.execute(FOLLOWERS_WAIT)
    now, took = await claim_ms(conn, outbox.CLAIM_LOCK, outbox.CLAIM)
    assert took == reference_took, (took, reference_took)
    label = f"{size:,} pending{', heads backing off' if backing_off else ''}"
    print(
        f"  {label:36} claim {now:7.2f} ms  reference {reference:7.2f} ms  "
        f"ratio {now / reference:5.2f}x  ({took} claimed)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,40000")
    parser.add_argument("--history", type=int, default=100_000, help="sent rows before")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"one claim of up to 30 due pushes, backlog round {CHATS:,} chats after "
        f"{args.history:,} sent, median of {ROUNDS}"
    )
    async with scratch_database() as url:
        await migrated(url)
        conn = await asyncpg.connect(url)
        await init_connection(conn)
        await conn.execute("ALTER TABLE outbox SET (autovacuum_enabled = false)")
        try:
            for backing_off in (False, True):
                for size in sizes:
                    await measure(conn, size, args.history, backing_off)
        finally:
            await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
