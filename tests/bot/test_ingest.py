"""The one ingest statement (storage/updates.py) keeps what claim_update, upsert_user and
hit_counters each did: the same user row, the same counter, and nothing written for a copy."""

from __future__ import annotations

import asyncio

import asyncpg

from storage.limits import hit_counters
from storage.updates import Arrival, Count, ingest_update
from storage.users import Profile, upsert_user

ADA = Profile(41, "Ada", "Lovelace", "ada", "en", "https://a/1.png", 9041)
COUNT: Count = ("chat_command", "u:41", 60, 1)
SAME = ("first_name", "last_name", "username", "language", "avatar_url", "dialog_chat_id")


async def test_a_new_person_is_stored_as_upsert_user_stores_them(db: asyncpg.Connection) -> None:
    arrival = await ingest_update(db, "m:1", "message_created", ADA, None)
    await db.execute("DELETE FROM users")
    upserted = await upsert_user(db, user_id=41, first_name="Ada", last_name="Lovelace",
                                 username="ada", locale="en", avatar_url="https://a/1.png",
                                 dialog_chat_id=9041)  # fmt: skip
    assert arrival is not None
    assert arrival.user is not None
    assert arrival.counter is None
    assert arrival.user.model_dump(include=set(SAME)) == upserted.model_dump(include=set(SAME))
    assert (arrival.user.privacy, arrival.user.reachable) == ("public", True)


async def test_a_known_person_keeps_what_max_did_not_send(db: asyncpg.Connection) -> None:
    await ingest_update(db, "m:1", "message_created", ADA, None)
    await db.execute("UPDATE users SET reachable = FALSE, privacy = 'private' WHERE id = 41")
    quiet = Profile(41, "Ada", None, None, None, None, None)
    arrival = await ingest_update(db, "m:2", "message_created", quiet, None)
    assert arrival is not None
    assert arrival.user is not None
    user = arrival.user
    assert (user.language, user.avatar_url, user.dialog_chat_id) == ("en", "https://a/1.png", 9041)
    assert (user.last_name, user.username, user.privacy, user.reachable) == (
        None, None, "private", False)  # fmt: skip


async def test_a_copy_writes_nothing_but_is_told_apart(db: asyncpg.Connection) -> None:
    assert await ingest_update(db, "m:1", "message_created", ADA, COUNT) is not None
    assert await ingest_update(db, "m:1", "message_created", ADA, COUNT) is None
    hits = await db.fetchval("SELECT hits FROM rate_counters WHERE subject = 'u:41'")
    assert hits == 1


async def test_the_count_shares_hit_counters_window(db: asyncpg.Connection) -> None:
    first = await ingest_update(db, "m:1", "message_created", ADA, COUNT)
    [after] = await hit_counters(db, [COUNT])
    second = await ingest_update(db, "m:2", "message_created", ADA, ("chat_command", "u:41", 60, 3))
    assert first is not None
    assert first.counter is not None
    assert first.counter.hits == 1
    assert after.hits == 2
    assert second is not None
    assert second.counter is not None
    assert (second.counter.rule, second.counter.subject, second.counter.hits) == (
        "chat_command", "u:41", 5)  # fmt: skip
    assert 0 < second.counter.seconds_left <= 60


async def test_a_banned_person_is_not_counted(db: asyncpg.Connection) -> None:
    await ingest_update(db, "m:1", "message_created", ADA, None)
    await db.execute("UPDATE users SET banned_at = now(), ban_reason = 'spam' WHERE id = 41")
    arrival = await ingest_update(db, "m:2", "message_created", ADA, COUNT)
    assert arrival is not None
    assert arrival.user is not None
    assert arrival.user.banned_at is not None
    assert arrival.counter is None
    assert await db.fetchval("SELECT count(*) FROM rate_counters") == 0


async def test_an_update_without_a_person_is_only_claimed(db: asyncpg.Connection) -> None:
    arrival = await ingest_update(db, "d:1", "bot_removed", None, None)
    assert arrival is not None
    assert (arrival.user, arrival.counter) == (None, None)
    assert await db.fetchval("SELECT count(*) FROM users") == 0
    assert await db.fetchval("SELECT key FROM processed_updates") == "d:1"


async def row_version(db: asyncpg.Connection) -> tuple[str, object]:
    row = await db.fetchrow("SELECT xmin::text AS v, last_seen_at FROM users WHERE id = 41")
    assert row is not None
    return row["v"], row["last_seen_at"]


async def test_a_person_unchanged_is_not_rewritten_within_a_minute(db: asyncpg.Connection) -> None:
    """Every message used to write a new version of its sender's row; now only a change of
    what MAX says of them, or a last_seen_at a minute old, writes one."""
    await ingest_update(db, "m:1", "message_created", ADA, COUNT)
    first = await row_version(db)
    arrival = await ingest_update(db, "m:2", "message_created", ADA, COUNT)
    assert await row_version(db) == first
    assert arrival is not None
    assert arrival.user is not None
    assert arrival.user.model_dump(include=set(SAME)) == dict(zip(SAME, ADA[1:], strict=True))
    assert arrival.counter is not None
    assert arrival.counter.hits == 2  # still counted
    renamed = ADA._replace(first_name="Augusta")
    arrival = await ingest_update(db, "m:3", "message_created", renamed, COUNT)
    assert arrival is not None
    assert arrival.user is not None
    assert arrival.user.first_name == "Augusta"
    assert (await row_version(db))[0] != first[0]
    await db.execute("UPDATE users SET last_seen_at = now() - interval '61 seconds'")
    stale = await row_version(db)
    await ingest_update(db, "m:4", "message_created", renamed, COUNT)
    version, seen = await row_version(db)
    assert version != stale[0]
    assert seen > stale[1]  # type: ignore[operator]


async def test_a_new_persons_first_messages_at_once_all_see_their_row(database_url: str) -> None:
    """Two first messages racing: the second waits on the first's new row and, having nothing
    to change, still gets the person (read again as committed), never None."""
    conns = [await asyncpg.connect(database_url) for _ in range(6)]
    try:
        await conns[0].execute("DELETE FROM users WHERE id = 41")

        async def one(n: int, conn: asyncpg.Connection) -> Arrival | None:
            async with conn.transaction():
                return await ingest_update(conn, f"m:race{n}", "message_created", ADA, COUNT)

        for _ in range(5):  # a few rounds: the window is a moment wide
            await conns[0].execute("DELETE FROM rate_counters; DELETE FROM users WHERE id = 41")
            arrivals = await asyncio.gather(*(one(n, c) for n, c in enumerate(conns)))
            assert all(a is not None and a.user is not None for a in arrivals)
            await conns[0].execute("DELETE FROM processed_updates")
    finally:
        for conn in conns:
            await conn.close()
