"""Races over the real HTTP API: one owner always, one outcome per trade, no deadlock shown."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import asyncpg

from gallery.trades.expiry import expire_trades
from sandbox.runner import RunningSandbox
from tests.bot.test_conversation import insert_object
from tests.trades.conftest import Json, Person, accept, act, made, owners, person, statuses
from tests.webapp.helpers import ApiClient


async def test_200_parallel_accepts_of_one_trade_move_its_objects_once(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    results = await asyncio.gather(*(accept(client, bob, trade) for _ in range(200)))
    assert Counter(status for status, _ in results) == {200: 1, 409: 199}
    assert {body["error"] for status, body in results if status == 409} <= {
        "trade_accepted",
        "stale_version",
    }
    assert (await owners(db))[alice.objects[0]] == bob.id
    assert (await owners(db))[bob.objects[0]] == alice.id
    assert await db.fetchval("SELECT count(*) FROM ownership_history WHERE reason = 'trade'") == 2
    assert await db.fetchval("SELECT version FROM art_objects WHERE id = $1", bob.objects[0]) == 2
    # the proposer's "accepted" push, queued once (the trade itself went to Bob)
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE user_id = $1", alice.id) == 1


async def check_ledger(db: asyncpg.Connection, start: dict[int, int]) -> None:
    """Every object's history is one unbroken chain ending at its owner, and the trade moves in
    it are exactly the items of the accepted trades."""
    history = await db.fetch(
        "SELECT object_id, from_user_id, to_user_id, reference_id FROM ownership_history"
        " WHERE reason = 'trade' ORDER BY id"
    )
    held = dict(start)
    for row in history:
        assert held[row["object_id"]] == row["from_user_id"], dict(row)
        held[row["object_id"]] = row["to_user_id"]
    assert held == await owners(db)
    moved = Counter((r["reference_id"], r["object_id"]) for r in history)
    items = await db.fetch(
        "SELECT i.trade_id, i.object_id FROM trade_items i JOIN trades t ON t.id = i.trade_id"
        " WHERE t.status = 'accepted'"
    )
    assert moved == Counter((r["trade_id"], r["object_id"]) for r in items)


def crossing_round(
    people: list[Person], held: dict[int, int], triples: int
) -> list[tuple[Person, Person, int, int]]:
    """Trades (proposer, recipient, give, take): per triple A→B, B→C, C→A over one object each,
    every pair sharing an object, plus a bridge from each triple to the next."""
    by_id = {p.id: p for p in people}
    pool: dict[int, list[int]] = {p.id: [] for p in people}
    for object_id, owner in sorted(held.items()):
        pool[owner].append(object_id)
    for objects in pool.values():
        random.shuffle(objects)
    trades, firsts = [], []
    for n in range(triples):
        trio = [people[(n + k) % len(people)] for k in range(3)]
        if any(not pool[p.id] for p in trio):
            continue
        picked = [pool[p.id].pop() for p in trio]
        for k in range(3):
            trades.append((trio[k], trio[(k + 1) % 3], picked[k], picked[(k + 1) % 3]))
        firsts.append((trio[0], picked[0], trio[1], picked[1]))
    for (a, a_obj, _, _), (_, _, b, b_obj) in zip(firsts, firsts[1:] + firsts[:1], strict=True):
        if a.id != b.id:
            trades.append((by_id[a.id], by_id[b.id], a_obj, b_obj))
    # one open trade from one person to another: the first of each pair stays
    unique: dict[tuple[int, int], tuple[Person, Person, int, int]] = {}
    for proposed in trades:
        unique.setdefault((proposed[0].id, proposed[1].id), proposed)
    return list(unique.values())


async def test_crossing_trades_accepted_at_once_keep_one_owner_each(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    people = [await person(client, sandbox, db, f"P{n}", objects=6) for n in range(6)]
    start = await owners(db)
    counts = Counter(start.values())
    for _ in range(6):
        held = await owners(db)
        trades = [
            await made(client, by, to, [give], [take])
            for by, to, give, take in crossing_round(people, held, triples=12)
        ]
        recipients = {p.id: p for p in people}
        results = await asyncio.gather(*(
            accept(client, recipients[t["recipient"]["id"]], t) for t in trades
        ))  # fmt: skip
        assert {status for status, _ in results} <= {200, 409}, results
        assert any(status == 200 for status, _ in results)
        assert "pending" not in (await statuses(db)).values()
        assert Counter((await owners(db)).values()) == counts
    await check_ledger(db, start)


async def race_one_trade(
    client: ApiClient, db: asyncpg.Connection, pool: asyncpg.Pool, alice: Person, bob: Person
) -> None:
    give = await insert_object(db, alice.id, "Mine")
    take = await insert_object(db, bob.id, "Theirs")
    trade = await made(client, alice, bob, [give], [take])

    async def expire_soon() -> None:
        await asyncio.sleep(random.uniform(0, 0.05))
        async with pool.acquire() as conn:
            await conn.execute("UPDATE trades SET expires_at = now() WHERE id = $1", trade["id"])
            for _ in range(5):
                await expire_trades(conn)

    async def cancel_later() -> tuple[int, Json]:
        await asyncio.sleep(random.uniform(0, 0.004))
        return await act(client, alice, trade["id"], "cancel")

    kinds = ["accept"] * 15 + ["cancel"] * 15
    random.shuffle(kinds)
    calls = [accept(client, bob, trade) if k == "accept" else cancel_later() for k in kinds]
    results, _ = await asyncio.gather(asyncio.gather(*calls), expire_soon())
    async with pool.acquire() as conn:
        await expire_trades(conn)
    final = (await statuses(db))[trade["id"]]
    wins = Counter(
        kind for kind, (status, _) in zip(kinds, results, strict=True)
        if status == 200
    )  # fmt: skip
    assert {status for status, _ in results} <= {200, 409}, results
    expected = {"accepted": {"accept": 1}, "cancelled": {"cancel": 1}, "expired": {}}[final]
    assert wins == expected
    after_accept = final == "accepted"
    assert (await owners(db))[give] == (bob.id if after_accept else alice.id)
    assert (await owners(db))[take] == (alice.id if after_accept else bob.id)


async def test_accept_cancel_and_expiry_racing_end_in_one_state(
    client: ApiClient, db: asyncpg.Connection, pool: asyncpg.Pool, alice: Person, bob: Person
) -> None:
    for _ in range(10):
        await race_one_trade(client, db, pool, alice, bob)
    assert set((await statuses(db)).values()) <= {"accepted", "cancelled", "expired"}
