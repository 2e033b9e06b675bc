"""'Someone favourited your object': off by default, never for one's own, at most one push per
object an hour (the clock moved in the database, not slept), names escaped, races counted once."""

from __future__ import annotations

import asyncio

import asyncpg

from sandbox.runner import RunningSandbox
from tests.bot.helpers import wait_for_bot_messages
from tests.notifications.conftest import (
    Person,
    an_hour_later,
    announce,
    chat_person,
    favorite,
    switch,
    told,
)
from tests.trades.conftest import person
from tests.webapp.helpers import ApiClient


async def test_off_by_default_nothing_is_kept_or_pushed(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    await favorite(client, bob, alice.objects[0])
    assert await announce(pool) == 0
    assert await db.fetchval("SELECT count(*) FROM favorite_news") == 0
    assert await told(sandbox, alice) == []


async def test_one_push_an_hour_per_object_naming_the_latest(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await switch(client, alice, favorites=True)
    bob, carol, dan = [await person(client, sandbox, db, n, 0) for n in ("Bob", "Carol", "Dan")]
    await favorite(client, bob, alice.objects[0])
    assert await announce(pool) == 1
    await favorite(client, carol, alice.objects[0])
    await favorite(client, dan, alice.objects[0])
    await favorite(client, carol, alice.objects[1])  # another object has an hour of its own
    assert await announce(pool) == 1
    assert await announce(pool) == 0
    assert await told(sandbox, alice) == [
        "Bob favourited «Alice 1».",
        "Carol favourited «Alice 2».",
    ]
    await an_hour_later(db)
    assert await announce(pool) == 1
    assert await announce(pool) == 0
    assert (await told(sandbox, alice))[2:] == ["2 people favourited «Alice 1», most recently Dan."]


async def test_favouriting_my_own_object_tells_nobody(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await switch(client, alice, favorites=True)
    await favorite(client, alice, alice.objects[0])
    assert await db.fetchval("SELECT count(*) FROM favorite_news") == 0
    assert await announce(pool) == 0
    assert await told(sandbox, alice) == []


async def test_unfavourite_and_favourite_again_is_one_push_an_hour(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await switch(client, alice, favorites=True)
    bob = await person(client, sandbox, db, "Bob", 0)
    for _ in range(5):
        await favorite(client, bob, alice.objects[0])
        await favorite(client, bob, alice.objects[0], on=False)
    assert await announce(pool) == 0  # taken back before anyone was told: no news
    for _ in range(5):
        await favorite(client, bob, alice.objects[0], on=False)
        await favorite(client, bob, alice.objects[0])
        assert await announce(pool) <= 1
    assert await told(sandbox, alice) == ["Bob favourited «Alice 1»."]


async def test_the_favouriters_name_arrives_as_typed_not_as_markup(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await switch(client, alice, favorites=True)
    eve = await person(client, sandbox, db, '<b>Eve</b> <a href="https://evil.example">x</a>', 0)
    await favorite(client, eve, alice.objects[0])
    assert await announce(pool) == 1
    message = (await wait_for_bot_messages(sandbox.control, alice.id, 2))[-1]
    assert (
        message["text"] == '<b>Eve</b> <a href="https://evil.example">x</a> favourited «Alice 1».'
    )
    assert message["markup"] is None  # no formatting came out of the name


async def test_many_favourites_at_once_with_rounds_racing_make_one_push_and_lose_none(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await switch(client, alice, favorites=True)
    fans: list[Person] = [await person(client, sandbox, db, f"Fan{n}", 0) for n in range(20)]
    target = alice.objects[0]
    rounds = await asyncio.gather(
        *[favorite(client, fan, target) for fan in fans], *[announce(pool) for _ in range(4)]
    )
    assert sum(r for r in rounds if r is not None) <= 1
    assert sum(await asyncio.gather(*[announce(pool) for _ in range(4)])) <= 1
    first = await told(sandbox, alice)
    assert len(first) == 1
    await an_hour_later(db)
    await announce(pool)
    pushed = await told(sandbox, alice)
    counts = [1 if " favourited «" in text and "people" not in text else int(text.split()[0])
              for text in pushed]  # fmt: skip
    assert len(pushed) <= 2, pushed
    assert sum(counts) == 20, pushed
    assert await db.fetchval("SELECT count(*) FROM favorite_news") == 0


async def test_turned_off_before_the_round_nothing_is_queued(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await switch(client, alice, favorites=True)
    bob = await person(client, sandbox, db, "Bob", 0)
    await favorite(client, bob, alice.objects[0])
    await switch(client, alice, favorites=False)
    assert await announce(pool) == 0
    notices = "SELECT count(*) FROM outbox WHERE user_id = $1 AND body ? 'notice'"
    assert await db.fetchval(notices, alice.id) == 0
    assert await told(sandbox, alice) == []
