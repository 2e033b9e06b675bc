"""The hold over the API: a received object cannot be named in a new trade (on either side) or
transfer until rules.hold_hours have passed; the object view says until when."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest

from tests.holds.conftest import HOLD_HOURS, api, on_hold, received_at, traded, turn_clock
from tests.trades.conftest import Person, accept, made, propose, statuses
from tests.webapp.helpers import ApiClient


async def test_a_received_object_cannot_be_given_in_a_trade(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    until = await received_at(db, alice.objects[0])
    assert until is not None
    until += timedelta(hours=HOLD_HOURS)
    assert await propose(client, bob, carol, [alice.objects[0]], [carol.objects[0]]) == (
        409, on_hold("Alice 1", until, "24 h 0 min")
    )  # fmt: skip
    # both sides of the accepted trade are held: what Alice got too
    assert await propose(client, alice, carol, [bob.objects[0]], []) == (
        409, on_hold("Bob 1", until, "24 h 0 min")
    )  # fmt: skip
    assert await db.fetchval("SELECT count(*) FROM trades") == 1


async def test_a_received_object_cannot_be_asked_for_in_a_trade(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    """Else the receiver's accomplice asks for it and the receiver accepts: the hold would hold
    nothing."""
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    until = await turn_clock(db, alice.objects[0], timedelta(hours=19, minutes=30))
    assert await propose(client, carol, bob, [carol.objects[0]], [alice.objects[0]]) == (
        409, on_hold("Alice 1", until, "4 h 30 min")
    )  # fmt: skip
    assert await db.fetchval("SELECT count(*) FROM trades") == 1


async def test_a_counter_proposal_cannot_name_a_received_object(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    asked = await made(client, carol, bob, [carol.objects[0]], [bob.objects[1]])
    until = await turn_clock(db, alice.objects[0], timedelta(hours=23, minutes=59, seconds=30))
    status, body = await api(
        client, "POST", f"/trades/{asked['id']}/counter", bob,
        {"give": [alice.objects[0]], "take": [carol.objects[0]]},
    )  # fmt: skip
    assert (status, body) == (409, on_hold("Alice 1", until, "1 min"))
    assert (await statuses(db))[asked["id"]] == "pending"


async def test_a_received_object_cannot_be_transferred(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    until = await turn_clock(db, alice.objects[0], timedelta(hours=1))
    refusal = on_hold("Alice 1", until, "23 h 0 min")
    qr = {"object_id": alice.objects[0]}
    direct = {"object_id": alice.objects[0], "to_user_id": carol.id}
    assert await api(client, "POST", "/transfers", bob, qr) == (409, refusal)
    assert await api(client, "POST", "/transfers", bob, direct) == (409, refusal)
    assert await db.fetchval("SELECT count(*) FROM transfers") == 0


async def test_a_stranger_learns_nothing_new_from_the_hold(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    """Someone else's held object: the transfer is refused as not theirs, as before holds."""
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    status, body = await api(
        client,
        "POST",
        "/transfers",
        carol,
        {"object_id": alice.objects[0]},
    )
    assert (status, body["error"]) == (403, "not_owner")


async def test_a_received_object_is_free_once_the_hold_ends(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    await turn_clock(db, alice.objects[0], timedelta(hours=HOLD_HOURS))
    status, body = await propose(client, bob, carol, [alice.objects[0]], [carol.objects[0]])
    assert (status, body["status"]) == (201, "pending")
    status, body = await api(
        client,
        "POST",
        "/transfers",
        bob,
        {"object_id": alice.objects[0]},
    )
    assert (status, body["status"]) == (201, "pending")
    # Bob 1, which Alice received in the same trade, is still held
    status, body = await propose(client, alice, carol, [bob.objects[0]], [])
    assert (status, body["error"]) == (409, "object_on_hold")


async def test_a_transfer_claim_holds_the_object(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    status, created = await api(
        client,
        "POST",
        "/transfers",
        alice,
        {"object_id": alice.objects[0]},
    )
    assert status == 201, created
    status, claimed = await api(
        client,
        "POST",
        "/transfers/claim",
        bob,
        {"token": created["token"]},
    )
    assert status == 200, claimed
    at = await received_at(db, alice.objects[0])
    assert at is not None
    until = at + timedelta(hours=HOLD_HOURS)
    assert await api(
        client,
        "POST",
        "/transfers",
        bob,
        {"object_id": alice.objects[0]},
    ) == (409, on_hold("Alice 1", until, "24 h 0 min"))
    assert await propose(client, bob, carol, [alice.objects[0]], []) == (
        409, on_hold("Alice 1", until, "24 h 0 min")
    )  # fmt: skip


async def test_uploaded_objects_are_not_held(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    assert await received_at(db, alice.objects[0]) is None
    status, body = await propose(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    assert (status, body["status"]) == (201, "pending")


@pytest.mark.parametrize("hold_hours", [0])
async def test_hold_hours_zero_turns_holds_off(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    assert await received_at(db, alice.objects[0]) is not None  # recorded all the same
    status, body = await propose(client, bob, carol, [alice.objects[0]], [])
    assert (status, body["status"]) == (201, "pending")
    status, body = await api(
        client,
        "POST",
        "/transfers",
        alice,
        {"object_id": bob.objects[0]},
    )
    assert (status, body["status"]) == (201, "pending")
    status, body = await api(client, "GET", f"/objects/{alice.objects[0]}", bob)
    assert (status, body["held_until"]) == (200, None)


async def test_an_accepted_pending_trade_holds_and_voids_the_others(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    """Trades proposed before the move: the accepted one moves and holds its objects; every
    other one naming them was voided by the move, and none can be made again while held."""
    to_bob = await made(client, alice, bob, [alice.objects[0]], [])
    to_carol = await made(client, alice, carol, [alice.objects[0]], [])
    from_carol = await made(client, carol, alice, [], [alice.objects[0]])
    status, body = await accept(client, bob, to_bob)
    assert status == 200, body
    assert await statuses(db) == {
        to_bob["id"]: "accepted", to_carol["id"]: "invalidated", from_carol["id"]: "invalidated"
    }  # fmt: skip
    status, body = await propose(client, carol, bob, [], [alice.objects[0]])
    assert (status, body["error"]) == (409, "object_on_hold")
    status, body = await accept(client, alice, from_carol)
    assert (status, body["error"]) == (409, "trade_invalidated")


async def test_the_hold_of_an_object_someone_may_not_see_is_not_told_to_them(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    """Bob's collection is private: Carol learns that the object does not exist for her, not
    that it is held (nor since when)."""
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    status, _ = await api(client, "PATCH", "/me", bob, {"privacy": "private"})
    assert status == 200
    missing = f"art object {alice.objects[0]} does not exist"
    assert await propose(client, carol, bob, [carol.objects[0]], [alice.objects[0]]) == (
        404, {"error": "object_not_found", "detail": missing}
    )  # fmt: skip
    status, body = await api(client, "GET", f"/objects/{alice.objects[0]}", carol)
    assert (status, body["error"]) == (404, "not_found")
    assert "held" not in str(body)
