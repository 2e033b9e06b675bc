"""The one way objects change hands: all or nothing, one owner, what else names them voided."""

from __future__ import annotations

import asyncio
import random

import asyncpg
import pytest

from gallery.ownership.moves import Move, move_objects
from gallery.retry import retry_on_deadlock
from storage.errors import Conflict, NotFound
from tests.bot.test_conversation import insert_object


async def users(db: asyncpg.Connection, *ids: int) -> None:
    for user_id in ids:
        await db.execute(
            "INSERT INTO users (id, first_name) VALUES ($1, $2)", user_id, f"U{user_id}"
        )


async def owners(db: asyncpg.Connection | asyncpg.pool.PoolConnectionProxy) -> dict[int, int]:
    return {r["id"]: r["owner_id"] for r in await db.fetch("SELECT id, owner_id FROM art_objects")}


async def test_a_trade_moves_both_appends_history_and_bumps_versions(
    db: asyncpg.Connection,
) -> None:
    await users(db, 1, 2)
    a, b = await insert_object(db, 1, "A"), await insert_object(db, 2, "B")
    async with db.transaction():
        moved = await move_objects(
            db, [Move(a, 1, 2, "A"), Move(b, 2, 1, "B")], reason="trade", reference_id=77
        )
    assert [o.title for o in moved.objects] == ["A", "B"]
    assert await owners(db) == {a: 2, b: 1}
    assert await db.fetchval("SELECT array_agg(version ORDER BY id) FROM art_objects") == [2, 2]
    history = await db.fetch(
        "SELECT object_id, from_user_id, to_user_id, reason, reference_id FROM ownership_history "
        "WHERE reason = 'trade' ORDER BY object_id"
    )
    assert [tuple(h) for h in history] == [(a, 1, 2, "trade", 77), (b, 2, 1, "trade", 77)]


async def test_nothing_moves_when_one_owner_changed(db: asyncpg.Connection) -> None:
    await users(db, 1, 2, 3)
    a, b = await insert_object(db, 1, "A"), await insert_object(db, 2, "B")
    await db.execute("UPDATE art_objects SET owner_id = 3 WHERE id = $1", b)
    with pytest.raises(Conflict, match="«B» has changed hands since"):
        async with db.transaction():
            await move_objects(
                db, [Move(a, 1, 2, "A"), Move(b, 2, 1, "B")], reason="trade", reference_id=1
            )
    assert await owners(db) == {a: 1, b: 3}
    with pytest.raises(NotFound):
        async with db.transaction():
            await move_objects(db, [Move(999, 1, 2, "Gone")], reason="transfer", reference_id=1)


async def test_other_pending_trades_and_transfers_naming_a_moved_object_are_voided(
    db: asyncpg.Connection,
) -> None:
    await users(db, 1, 2, 3)
    a, c = await insert_object(db, 1, "A"), await insert_object(db, 3, "C")
    trade = (
        "INSERT INTO trades (proposer_id, recipient_id, expires_at) "
        "VALUES ($1, $2, now() + interval '1 day') RETURNING id"
    )
    naming, unrelated = await db.fetchval(trade, 2, 1), await db.fetchval(trade, 2, 3)
    await db.execute(
        "INSERT INTO trade_items (trade_id, object_id, side, owner_id, title) "
        "VALUES ($1, $2, 'take', 1, 'A'), ($3, $4, 'take', 3, 'C')",
        naming,
        a,
        unrelated,
        c,
    )
    transfer = await db.fetchval(
        "INSERT INTO transfers (object_id, from_user_id, kind, to_user_id, object_version, "
        "expires_at, title) VALUES ($1, 1, 'direct', 3, 1, now() + interval '10 minutes', 'A') "
        "RETURNING id",
        a,
    )
    async with db.transaction():
        moved = await move_objects(db, [Move(a, 1, 2, "A")], reason="trade", reference_id=0)
    assert sorted((i.kind, i.id) for i in moved.invalidated) == [
        ("trade", naming),
        ("transfer", transfer),
    ]
    statuses = await db.fetch("SELECT id, status FROM trades ORDER BY id")
    assert [tuple(s) for s in statuses] == [(naming, "invalidated"), (unrelated, "pending")]
    assert await db.fetchval("SELECT status FROM transfers") == "invalidated"


async def test_concurrent_conflicting_moves_keep_one_owner_per_object(
    database_url: str, db: asyncpg.Connection
) -> None:
    people = [1, 2, 3, 4]
    await users(db, *people)
    objects = [await insert_object(db, p, f"O{p}") for p in people]
    titles = {o: f"O{p}" for o, p in zip(objects, people, strict=True)}
    pool = await asyncpg.create_pool(database_url, min_size=8, max_size=8)
    rng = random.Random(5)
    successes = 0

    async def attempt() -> None:
        nonlocal successes
        picked = rng.sample(objects, 2)
        async with pool.acquire() as reader:
            current = await owners(reader)

        async def trade() -> None:
            async with pool.acquire() as conn, conn.transaction():
                x, y = picked
                await move_objects(
                    conn,
                    [Move(x, current[x], current[y], titles[x]),
                     Move(y, current[y], current[x], titles[y])],
                    reason="trade",
                    reference_id=0,
                )

        try:
            await retry_on_deadlock(trade)
            successes += 1
        except Conflict:
            pass

    try:
        await asyncio.gather(*(attempt() for _ in range(200)))
    finally:
        await pool.close()
    final = await owners(db)
    assert sorted(final.values()) == sorted(people)  # still one each: counts conserved
    assert successes > 0
    moves = await db.fetchval("SELECT count(*) FROM ownership_history WHERE reason = 'trade'")
    assert moves == successes * 2
