"""Accept, decline, counter, cancel and expiry: each transition, its pushes, and who may act."""

from __future__ import annotations

import asyncpg

from gallery.trades.expiry import expire_trades
from tests.pushes import pushed_text
from tests.trades.conftest import (
    Json,
    Person,
    accept,
    act,
    made,
    owners,
    refusal,
    statuses,
)
from tests.webapp.helpers import ApiClient


async def pushes(db: asyncpg.Connection) -> list[tuple[int, str]]:
    """(to whom, text) of every queued chat push, in order."""
    rows = await db.fetch("SELECT user_id, body FROM outbox WHERE kind = 'send' ORDER BY id")
    return [(r["user_id"], pushed_text(r["body"])) for r in rows]


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


async def test_nobody_else_sees_or_acts_on_a_trade(
    client: ApiClient, alice: Person, bob: Person, carol: Person
) -> None:
    trade = await made(client, alice, bob, [alice.objects[0]], [])
    missing = refusal("not_found", f"trade {trade['id']} does not exist")
    response = await client.get(f"/api/trades/{trade['id']}", headers=carol.headers)
    assert (response.status, await response.json()) == (404, missing)
    for action in ("accept", "decline", "cancel"):
        assert await act(client, carol, trade["id"], action, {"version": 1}) == (404, missing)
    assert await act(client, carol, trade["id"], "counter", {"give": [carol.objects[0]]}) == (
        404,
        missing,
    )
    only_recipient = refusal("not_recipient", "only the recipient of this trade can do that")
    assert await accept(client, alice, trade) == (403, only_recipient)
    assert await act(client, alice, trade["id"], "decline") == (403, only_recipient)
    only_proposer = refusal("not_proposer", "only the proposer of this trade can do that")
    assert await act(client, bob, trade["id"], "cancel") == (403, only_proposer)
    unknown = await client.get("/api/trades/99999", headers=bob.headers)
    assert (unknown.status, (await unknown.json())["error"]) == (404, "not_found")
    anonymous = await client.get(f"/api/trades/{trade['id']}")
    assert anonymous.status == 401


async def box(client: ApiClient, who: Person, query: str) -> Json:
    response = await client.get(f"/api/trades?{query}", headers=who.headers)
    assert response.status == 200, await response.text()
    body: Json = await response.json()
    return body


async def test_boxes_list_only_my_trades_newest_first_in_pages(
    client: ApiClient, alice: Person, bob: Person, carol: Person
) -> None:
    first = await made(client, alice, bob, [alice.objects[0]], [])
    await act(client, alice, first["id"], "cancel")
    second = await made(client, alice, bob, [alice.objects[1]], [])
    theirs = await made(client, carol, bob, [carol.objects[0]], [])
    outgoing = await box(client, alice, "box=outgoing")
    assert [t["id"] for t in outgoing["items"]] == [second["id"], first["id"]]
    assert [t["status"] for t in outgoing["items"]] == ["pending", "cancelled"]
    incoming = await box(client, bob, "box=incoming&limit=2")
    assert [t["id"] for t in incoming["items"]] == [theirs["id"], second["id"]]
    rest = await box(client, bob, f"box=incoming&limit=2&cursor={incoming['next_cursor']}")
    assert ([t["id"] for t in rest["items"]], rest["next_cursor"]) == ([first["id"]], None)
    pending = await box(client, bob, "box=incoming&status=pending")
    assert [t["id"] for t in pending["items"]] == [theirs["id"], second["id"]]
    # nobody sees another's outgoing trades: Carol's box holds only her own
    assert [t["id"] for t in (await box(client, carol, "box=outgoing"))["items"]] == [theirs["id"]]
    assert (await box(client, carol, "box=incoming"))["items"] == []
    bad = await client.get("/api/trades?box=everyone", headers=alice.headers)
    assert bad.status == 400


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
