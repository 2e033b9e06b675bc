"""SQL of the abuse limits: the shared rate counters (one row per rule, subject and fixed window)
and what a person's uploads already take up, for the storage quota."""

from __future__ import annotations

from collections.abc import Sequence

from storage.db import Connection
from storage.models import Row

# The window is cut on the database's clock, so replicas whose clocks differ still share rows.
# Rows are bumped in the order given; callers sort them, so two statements never wait on each
# other's rows in opposite orders.
HIT_COUNTERS = """
WITH asked AS (
    SELECT a.rule, a.subject, a.period, a.amount,
           to_timestamp(floor(extract(epoch FROM clock_timestamp()) / a.period) * a.period)
               AS window_start
    FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY
         AS a(rule, subject, period, amount, position)
    ORDER BY a.position
)
INSERT INTO rate_counters AS c (rule, subject, window_start, expires_at, hits)
SELECT rule, subject, window_start, window_start + make_interval(secs => period), amount
FROM asked
ON CONFLICT (rule, subject, window_start) DO UPDATE SET hits = c.hits + EXCLUDED.hits
RETURNING c.rule, c.subject, c.hits,
          extract(epoch FROM c.expires_at - clock_timestamp())::float8 AS seconds_left
"""


class CounterHit(Row):
    rule: str
    subject: str
    hits: int
    seconds_left: float


class Usage(Row):
    objects: int
    bytes: int


async def hit_counters(
    conn: Connection, keys: Sequence[tuple[str, str, int, int]]
) -> list[CounterHit]:
    """Add each (rule, subject, window seconds, amount)'s amount to its counter of the current
    window; the totals after this hit, all in one statement."""
    rule, subject, period, amount = (list(column) for column in zip(*keys, strict=True))
    rows = await conn.fetch(HIT_COUNTERS, rule, subject, period, amount)
    return [CounterHit.model_validate(dict(row)) for row in rows]


async def prune_counters(conn: Connection) -> int:
    result = await conn.execute("DELETE FROM rate_counters WHERE expires_at < now()")
    return int(result.split()[-1])


async def upload_usage(conn: Connection, uploader: int) -> Usage:
    """What the photos `uploader` added and still exist take up, whoever owns them now."""
    row = await conn.fetchrow(
        """SELECT count(*) AS objects, COALESCE(sum(p.byte_size), 0)::bigint AS bytes
           FROM art_objects o JOIN photos p ON p.id = o.photo_id
           WHERE o.creator_id = $1""",
        uploader,
    )
    return Usage.model_validate(dict(row or {"objects": 0, "bytes": 0}))
