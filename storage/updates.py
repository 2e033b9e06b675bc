"""SQL for ingest bookkeeping: idempotency keys of handled updates, and the long-poll marker."""

from __future__ import annotations

from datetime import timedelta

from storage.db import Connection
from storage.limits import CounterHit
from storage.models import Row, UserRow
from storage.users import Profile, get_user

MARKER_KEY = "long_poll_marker"

# One round trip for what every update needs before its handler: the idempotency key, the
# sender's row (storage/users.py UPSERT, the same columns and rules) and the chat limit's counter
# (storage/limits.py HIT_COUNTERS, the same window). Nothing but the key is written for a
# duplicate, and a banned person's updates are not counted against the chat limit. A concurrent
# copy waits on the key's row and then finds it taken, as with claim_update.
INGEST = """
WITH claimed AS (
    INSERT INTO processed_updates (key, update_type) VALUES ($1, $2)
    ON CONFLICT (key) DO NOTHING
    RETURNING TRUE AS fresh
), written AS (
    INSERT INTO users AS u
        (id, first_name, last_name, username, language, avatar_url, dialog_chat_id)
    SELECT $3, $4, $5, $6, COALESCE($7, 'ru'), $8, $9 FROM claimed WHERE $3::bigint IS NOT NULL
    ON CONFLICT (id) DO UPDATE SET
        first_name = EXCLUDED.first_name,
        last_name = EXCLUDED.last_name,
        username = EXCLUDED.username,
        language = COALESCE($7, u.language),
        avatar_url = COALESCE(EXCLUDED.avatar_url, u.avatar_url),
        dialog_chat_id = COALESCE(EXCLUDED.dialog_chat_id, u.dialog_chat_id),
        reachable = u.reachable OR EXCLUDED.dialog_chat_id IS NOT NULL,
        last_seen_at = now()
    -- only when something changed, or last_seen_at is a minute old: a new row version per
    -- message was most of what a chat update cost PostgreSQL beyond the reference's
    WHERE (u.first_name, u.last_name, u.username, u.language, u.avatar_url, u.dialog_chat_id,
           u.reachable)
          IS DISTINCT FROM
          (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.username, COALESCE($7, u.language),
           COALESCE(EXCLUDED.avatar_url, u.avatar_url),
           COALESCE(EXCLUDED.dialog_chat_id, u.dialog_chat_id),
           u.reachable OR EXCLUDED.dialog_chat_id IS NOT NULL)
       OR u.last_seen_at < now() - interval '1 minute'
    RETURNING u.*
), person AS (
    -- the row as written, else as it stands (ON CONFLICT locked it either way)
    SELECT * FROM written
    UNION ALL
    SELECT u.* FROM users u
    WHERE u.id = $3 AND EXISTS (SELECT FROM claimed) AND NOT EXISTS (SELECT FROM written)
), asked AS (
    SELECT to_timestamp(floor(extract(epoch FROM clock_timestamp()) / $12::int) * $12::int)
        AS window_start
    FROM person WHERE person.banned_at IS NULL AND $10::text IS NOT NULL
), counted AS (
    INSERT INTO rate_counters AS c (rule, subject, window_start, expires_at, hits)
    SELECT $10, $11, window_start, window_start + make_interval(secs => $12::int), $13::bigint
    FROM asked
    ON CONFLICT (rule, subject, window_start) DO UPDATE SET hits = c.hits + EXCLUDED.hits
    RETURNING c.hits, extract(epoch FROM c.expires_at - clock_timestamp())::float8 AS seconds_left
)
SELECT person.*, counted.hits AS counter_hits, counted.seconds_left AS counter_seconds_left
FROM claimed LEFT JOIN person ON TRUE LEFT JOIN counted ON TRUE
"""

Count = tuple[str, str, int, int]  # rule, subject, window seconds, amount (storage/limits.py)


class Arrival(Row):
    """A fresh update's sender row (None without a person) and its chat-limit counter after the
    hit (None when nothing was counted)."""

    user: UserRow | None
    counter: CounterHit | None


async def ingest_update(
    conn: Connection, key: str, update_type: str, sender: Profile | None, count: Count | None
) -> Arrival | None:
    """Claim `key`, upsert `sender` and add `count` to its counter, in one statement; None if
    the key was already claimed (nothing else written). Call inside the handler's transaction."""
    fields = (None, *Profile(0, "")[1:]) if sender is None else sender
    rule, subject, period, amount = count or (None, None, None, None)
    row = await conn.fetchrow(INGEST, key, update_type, *fields, rule, subject, period, amount)
    if row is None:
        return None
    user = None if row["id"] is None else UserRow.model_validate(dict(row))
    if user is None and sender is not None:
        # the person's first row was committed by a concurrent update after this statement's
        # snapshot, and nothing needed writing: read it as it stands now
        user = await get_user(conn, sender.user_id)
    counter = None
    if row["counter_hits"] is not None and count is not None:
        hits, left = row["counter_hits"], row["counter_seconds_left"]
        counter = CounterHit(rule=count[0], subject=count[1], hits=hits, seconds_left=left)
    return Arrival(user=user, counter=counter)


async def claim_update(conn: Connection, key: str, update_type: str) -> bool:
    """Record `key` as handled; False if it already was. Call inside the handler's transaction."""
    inserted = await conn.fetchval(
        "INSERT INTO processed_updates (key, update_type) VALUES ($1, $2) "
        "ON CONFLICT (key) DO NOTHING RETURNING TRUE",
        key,
        update_type,
    )
    return bool(inserted)


async def prune_processed_updates(conn: Connection, older_than: timedelta) -> int:
    result = await conn.execute(
        "DELETE FROM processed_updates WHERE processed_at < now() - $1::interval", older_than
    )
    return int(result.split()[-1])


async def load_marker(conn: Connection) -> int | None:
    value = await conn.fetchval("SELECT value FROM bot_state WHERE key = $1", MARKER_KEY)
    return None if value is None else int(value)


async def save_marker(conn: Connection, marker: int) -> None:
    await conn.execute(
        "INSERT INTO bot_state (key, value) VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
        MARKER_KEY,
        marker,
    )
