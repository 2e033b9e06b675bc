"""Races that really race: many claims of one token, claim against cancel, replicas expiring."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import asyncpg
import pytest

from gallery.transfers.closing import expire_transfers
from sandbox.runner import RunningSandbox
from storage.db import init_connection
from tests.bot.test_conversation import insert_object
from tests.transfers.conftest import Person, call, claim, create, person, pushes
from tests.webapp.helpers import ApiClient

CLAIMERS = 12


@pytest.fixture
async def pool(database_url: str, db: asyncpg.Connection) -> AsyncIterator[asyncpg.Pool]:
    async with asyncpg.create_pool(
        database_url, min_size=2, max_size=4, init=init_connection
    ) as created:
        yield created


async def test_many_claims_of_one_token_at_once_make_exactly_one_owner(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, anna: Person
) -> None:
    people = [await person(client, sandbox, db, f"P{n}", objects=0) for n in range(CLAIMERS)]
    created = await create(client, anna)
    answers = await asyncio.gather(*(claim(client, p, created["token"]) for p in people))
    outcomes = Counter((status, body.get("error")) for status, body in answers)
    assert outcomes == {(200, None): 1, (409, "transfer_claimed"): CLAIMERS - 1}
    [winner] = [p for p, (status, _) in zip(people, answers, strict=True) if status == 200]
    assert await db.fetchval("SELECT owner_id FROM art_objects") == winner.id
    history = await db.fetch("SELECT to_user_id FROM ownership_history WHERE reason = 'transfer'")
    assert [h["to_user_id"] for h in history] == [winner.id]
    assert await db.fetchval("SELECT version FROM art_objects") == 2
    assert await pushes(db, anna.id) == [f"«Anna's 1» now belongs to {winner.name}."]


async def test_claim_against_cancel_ends_one_way_every_time(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    finals: Counter[str] = Counter()
    for round_ in range(10):
        object_id = await insert_object(db, anna.id, f"Round {round_}")
        created = await create(client, anna, object_id)
        cancel = call(client, "POST", f"/transfers/{created['id']}/cancel", anna)
        claimed, cancelled = await asyncio.gather(claim(client, bob, created["token"]), cancel)
        status = await db.fetchval("SELECT status FROM transfers WHERE id = $1", created["id"])
        owner = await db.fetchval("SELECT owner_id FROM art_objects WHERE id = $1", object_id)
        if status == "claimed":
            assert (claimed[0], cancelled[0], owner) == (200, 409, bob.id)
            assert cancelled[1]["error"] == "transfer_claimed"
        else:
            assert (status, owner) == ("cancelled", anna.id)
            assert (claimed[0], claimed[1]["error"]) == (410, "transfer_cancelled")
            assert cancelled[0] == 200
        finals[status] += 1
    assert sum(finals.values()) == 10


async def test_replicas_expiring_together_expire_and_tell_each_owner_once(
    client: ApiClient, db: asyncpg.Connection, pool: asyncpg.Pool, anna: Person, bob: Person
) -> None:
    objects = [anna.objects[0], *[await insert_object(db, anna.id, f"More {n}") for n in (1, 2)]]
    created = [await create(client, anna, object_id) for object_id in objects]
    overdue = [c["id"] for c in created[:2]]
    await db.execute(
        "UPDATE transfers SET expires_at = now() - interval '1 minute' WHERE id = ANY($1)", overdue
    )

    async def replica() -> int:
        async with pool.acquire() as conn:
            return await expire_transfers(conn)

    counts = await asyncio.gather(*(replica() for _ in range(4)))
    assert sum(counts) == 2
    rows = await db.fetch("SELECT id, status, decided_at FROM transfers ORDER BY id")
    assert [r["status"] for r in rows] == ["expired", "expired", "pending"]
    assert all(r["decided_at"] is not None for r in rows[:2])
    assert sorted(await pushes(db, anna.id)) == [
        "The transfer of «Anna's 1» expired; nobody accepted it.",
        "The transfer of «More 1» expired; nobody accepted it.",
    ]
    status, refused = await claim(client, bob, created[0]["token"])
    assert (status, refused["error"]) == (410, "transfer_expired")
    assert (await claim(client, bob, created[2]["token"]))[0] == 200
