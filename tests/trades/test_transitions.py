"""Decline, cancel, counter and expiry: each transition, its pushes, and a closed trade's answer."""

from __future__ import annotations

import asyncpg

from gallery.trades.expiry import expire_trades
from tests.trades.conftest import Person, accept, act, made, owners, pushes, refusal, statuses
from tests.webapp.helpers import ApiClient


async def test_decline_and_cancel_close_the_trade_and_tell_the_other(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    declined = await made(client, alice, bob, [alice.objects[0]], [])
    status, body = await act(client, bob, declined["id"], "decline")
    assert (status, body["status"], body["version"]) == (200, "declined", 2)
    assert (await pushes(db))[-1] == (alice.id, "Bob declined your trade.")
    cancelled = await made(client, alice, bob, [alice.objects[0]], [])
    status, body = await act(client, alice, cancelled["id"], "cancel")
    assert (status, body["status"], body["version"]) == (200, "cancelled", 2)
    assert (await pushes(db))[-1] == (bob.id, "Alice withdrew their trade.")
    assert (await owners(db))[alice.objects[0]] == alice.id


async def test_a_counter_trade_replaces_the_old_one(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    status, counter = await act(client, bob, trade["id"], "counter", {
        "give": [bob.objects[1]], "take": [alice.objects[0]], "message": "This one instead?",
    })  # fmt: skip
    assert status == 201, counter
    assert (counter["proposer"]["id"], counter["recipient"]["id"]) == (bob.id, alice.id)
    assert (counter["parent_id"], counter["status"]) == (trade["id"], "pending")
    old = await client.get(f"/api/trades/{trade['id']}", headers=alice.headers)
    assert (await old.json())["status"] == "countered"
    assert (await old.json())["status_reason"] == f"answered by trade {counter['id']}"
    assert (await pushes(db))[-1] == (
        alice.id,
        "Bob answers with a trade of their own.\nYou give: «Alice 1»\nYou get: «Bob 2»"
        "\n\n«This one instead?»",
    )
    assert (await accept(client, alice, counter))[0] == 200
    assert (await owners(db))[bob.objects[1]] == alice.id


async def test_a_counter_with_a_bad_side_changes_nothing(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [])
    status, body = await act(client, bob, trade["id"], "counter", {"give": [alice.objects[1]]})
    assert (status, body) == (409, refusal("not_your_object", "«Alice 2» is not yours to give"))
    assert await statuses(db) == {trade["id"]: "pending"}


async def test_every_action_on_a_closed_trade_says_its_state(
    client: ApiClient, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [])
    assert (await act(client, alice, trade["id"], "cancel"))[0] == 200
    closed = refusal("trade_cancelled", "this trade is already cancelled")
    assert await accept(client, bob, {**trade, "version": 2}) == (409, closed)
    assert await act(client, bob, trade["id"], "decline") == (409, closed)
    assert await act(client, alice, trade["id"], "cancel") == (409, closed)
    assert await act(client, bob, trade["id"], "counter", {"give": [bob.objects[0]]}) == (
        409,
        closed,
    )


async def test_expire_trades_closes_overdue_trades_once_and_tells_both(
    client: ApiClient, db: asyncpg.Connection, pool: asyncpg.Pool, alice: Person, bob: Person,
    carol: Person,
) -> None:  # fmt: skip
    overdue = await made(client, alice, bob, [alice.objects[0]], [])
    fresh = await made(client, alice, carol, [alice.objects[1]], [])
    await db.execute(
        "UPDATE trades SET expires_at = now() - interval '1 second' WHERE id = $1", overdue["id"]
    )
    async with pool.acquire() as conn:
        assert await expire_trades(conn) == 1
        assert await expire_trades(conn) == 0
    assert await statuses(db) == {overdue["id"]: "expired", fresh["id"]: "pending"}
    assert set((await pushes(db))[-2:]) == {
        (alice.id, "The trade with Bob has expired."),
        (bob.id, "The trade with Alice has expired."),
    }
    status, body = await accept(client, bob, {**overdue, "version": 2})
    assert (status, body) == (409, refusal(
        "trade_expired", "this trade is already expired (the trade expired)"
    ))  # fmt: skip


async def test_an_overdue_trade_is_expired_when_touched(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    await db.execute("UPDATE trades SET expires_at = now() - interval '1 second'")
    status, body = await accept(client, bob, trade)
    assert (status, body["error"]) == (409, "trade_expired")
    assert await statuses(db) == {trade["id"]: "expired"}
    assert (await owners(db))[alice.objects[0]] == alice.id
