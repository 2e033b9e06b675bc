"""Accepting a trade: both sides move, other trades naming them are voided, and the refusals."""

from __future__ import annotations

import asyncpg

from tests.trades.conftest import Person, accept, act, made, owners, pushes, refusal, statuses
from tests.webapp.helpers import ApiClient


async def test_accept_moves_both_sides_and_tells_the_proposer(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0], bob.objects[1]])
    status, body = await accept(client, bob, trade)
    assert status == 200, body
    assert (body["status"], body["version"], body["status_reason"]) == ("accepted", 2, None)
    assert body["decided_at"] is not None
    assert [i["owner"]["id"] for i in body["give"]] == [bob.id]
    assert [i["owner"]["id"] for i in body["take"]] == [alice.id, alice.id]
    assert await owners(db) == {alice.objects[0]: bob.id, alice.objects[1]: alice.id,
                                bob.objects[0]: alice.id, bob.objects[1]: alice.id}  # fmt: skip
    history = await db.fetch(
        "SELECT object_id, from_user_id, to_user_id, reference_id FROM ownership_history"
        " WHERE reason = 'trade' ORDER BY object_id"
    )
    assert [tuple(h) for h in history] == [
        (alice.objects[0], alice.id, bob.id, trade["id"]),
        (bob.objects[0], bob.id, alice.id, trade["id"]),
        (bob.objects[1], bob.id, alice.id, trade["id"]),
    ]
    assert (await pushes(db))[-1] == (
        alice.id,
        "Bob accepted your trade: you gave «Alice 1» and got «Bob 1», «Bob 2».",
    )


async def test_accepting_voids_every_other_trade_naming_a_moved_object(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    rival = await made(client, carol, bob, [carol.objects[0]], [bob.objects[0]])
    other = await made(client, carol, alice, [], [alice.objects[0]])
    untouched = await made(client, alice, carol, [alice.objects[1]], [])
    assert (await accept(client, bob, trade))[0] == 200
    assert await statuses(db) == {
        trade["id"]: "accepted",
        rival["id"]: "invalidated",
        other["id"]: "invalidated",
        untouched["id"]: "pending",
    }
    status, body = await accept(client, bob, rival)
    assert (status, body) == (409, refusal(
        "trade_invalidated", "this trade is already invalidated (an object in it changed hands)"
    ))  # fmt: skip
    voided = "The trade with {} is no longer valid: an object in it changed hands."
    assert set((await pushes(db))[-4:]) == {
        (carol.id, voided.format("Bob")), (bob.id, voided.format("Carol")),
        (carol.id, voided.format("Alice")), (alice.id, voided.format("Carol")),
    }  # fmt: skip


async def test_a_stale_version_is_refused_and_nothing_moves(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    before = await owners(db)
    status, body = await act(client, bob, trade["id"], "accept", {"version": 7})
    assert (status, body) == (409, refusal(
        "stale_version", "the trade changed since you saw it (version 7, now 1)"
    ))  # fmt: skip
    assert await owners(db) == before
    assert await statuses(db) == {trade["id"]: "pending"}


async def test_accept_refused_when_an_owner_changed_behind_the_trade(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    await db.execute("UPDATE art_objects SET owner_id = $1 WHERE id = $2", carol.id, bob.objects[0])
    status, body = await accept(client, bob, trade)
    assert (status, body) == (409, refusal("ownership_changed", "«Bob 1» has changed hands since"))
    assert (await owners(db))[alice.objects[0]] == alice.id
    assert await statuses(db) == {trade["id"]: "invalidated"}
