"""Proposing a trade: what it records and shows, and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.trades.conftest import Person, made, person, propose, refusal
from tests.webapp.helpers import ApiClient


async def test_a_trade_records_owners_and_shows_both_sides(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    status, body = await propose(client, alice, bob, [alice.objects[0]], [bob.objects[1]], "Hi!")
    assert status == 201, body
    expires = datetime.fromisoformat(body.pop("expires_at"))
    assert timedelta(hours=71, minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=72)
    created_at = body.pop("created_at")
    thumbs = [item["media"].pop("thumb") for item in [*body["give"], *body["take"]]]
    assert all(t.startswith("/media/") for t in thumbs), thumbs
    assert body == {
        "id": body["id"], "status": "pending", "status_reason": None, "version": 1,
        "message": "Hi!", "parent_id": None, "decided_at": None,
        "proposer": {"id": alice.id, "name": "Alice"},
        "recipient": {"id": bob.id, "name": "Bob"},
        "give": [{"id": alice.objects[0], "title": "Alice 1", "visible": True, "placeholder": "",
                  "owner": {"id": alice.id, "name": "Alice"}, "owner_when_proposed": alice.id,
                  "media": {}}],
        "take": [{"id": bob.objects[1], "title": "Bob 2", "visible": True, "placeholder": "",
                  "owner": {"id": bob.id, "name": "Bob"}, "owner_when_proposed": bob.id,
                  "media": {}}],
    }  # fmt: skip
    assert created_at
    lines = await db.fetch(
        "SELECT object_id, side, owner_id, title FROM trade_items WHERE trade_id = $1 "
        "ORDER BY side",
        body["id"],
    )
    assert [tuple(r) for r in lines] == [
        (alice.objects[0], "give", alice.id, "Alice 1"),
        (bob.objects[1], "take", bob.id, "Bob 2"),
    ]


async def test_either_side_may_be_empty(
    client: ApiClient, alice: Person, bob: Person, carol: Person
) -> None:
    gift = await made(client, alice, bob, [alice.objects[0]], [])
    ask = await made(client, alice, carol, [], [carol.objects[0]])
    assert (gift["take"], ask["give"]) == ([], [])


@pytest.mark.parametrize(
    ("give", "take", "code", "detail"),
    [
        ([], [], "empty_trade", "a trade gives or takes at least one object"),
        ([0, 0], [], "duplicate_item", "each object may appear once, on one side"),
        ([0], [0], "duplicate_item", "each object may appear once, on one side"),
    ],
)
async def test_shape_refusals(
    client: ApiClient, alice: Person, bob: Person, give: list[int], take: list[int], code: str,
    detail: str,
) -> None:  # fmt: skip
    ids = [alice.objects[0] for _ in give], [alice.objects[0] for _ in take]
    assert await propose(client, alice, bob, *ids) == (400, refusal(code, detail))


async def test_trading_with_myself_is_refused(client: ApiClient, alice: Person) -> None:
    assert await propose(client, alice, alice, [alice.objects[0]]) == (
        400,
        refusal("self_trade", "you cannot trade with yourself"),
    )


async def test_a_give_item_not_mine_is_refused(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    assert await propose(client, alice, bob, [bob.objects[0]], [bob.objects[1]]) == (
        409,
        refusal("not_your_object", "«Bob 1» is not yours to give"),
    )
    assert await db.fetchval("SELECT count(*) FROM trades") == 0


async def test_a_take_item_not_theirs_is_refused(
    client: ApiClient, alice: Person, bob: Person, carol: Person
) -> None:
    assert await propose(client, alice, bob, [alice.objects[0]], [carol.objects[0]]) == (
        409,
        refusal("not_their_object", "«Carol 1» does not belong to that person"),
    )


async def test_unknown_objects_and_people_are_refused(
    client: ApiClient, alice: Person, bob: Person
) -> None:
    assert await propose(client, alice, bob, [alice.objects[0]], [999999]) == (
        404,
        refusal("object_not_found", "art object 999999 does not exist"),
    )
    assert await propose(client, alice, 424242, [alice.objects[0]]) == (
        404,
        refusal("recipient_not_found", "user 424242 is unknown"),
    )


async def test_a_message_over_1000_characters_is_refused(
    client: ApiClient, alice: Person, bob: Person
) -> None:
    status, body = await propose(client, alice, bob, [alice.objects[0]], [], "x" * 1001)
    assert (status, body["error"]) == (400, "invalid")
    assert [e["loc"] for e in body["detail"]] == [["message"]]
    assert (await propose(client, alice, bob, [alice.objects[0]], [], "x" * 1000))[0] == 201


async def test_one_open_trade_with_a_person_until_it_is_closed(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    first = await made(client, alice, bob, [alice.objects[1], alice.objects[0]], [bob.objects[0]])
    pending = refusal(
        "trade_to_person_pending",
        f"you already have an open trade with this person (trade {first['id']}); "
        "wait for the answer or withdraw it",
    )
    for give, take in ((alice.objects, [bob.objects[0]]), ([alice.objects[0]], [bob.objects[1]])):
        assert await propose(client, alice, bob, give, take) == (409, pending)
    assert await db.fetchval("SELECT count(*) FROM trades") == 1
    # with someone else, and from the other side, trades may still be proposed
    await made(client, alice, carol, [alice.objects[0]], [])
    await made(client, bob, alice, [bob.objects[1]], [])
    cancel = await client.post(f"/api/trades/{first['id']}/cancel", headers=alice.headers)
    assert cancel.status == 200
    await made(client, alice, bob, alice.objects, [bob.objects[0]])


@pytest.mark.parametrize("rules_overrides", [{"max_open_trades": 2}])
async def test_the_cap_of_open_trades_counts_what_i_proposed(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection,
    alice: Person, bob: Person, carol: Person, rules_overrides: dict[str, Any],
) -> None:  # fmt: skip
    dave = await person(client, sandbox, db, "Dave")
    first = await made(client, alice, bob, [alice.objects[0]], [])
    await made(client, alice, carol, [alice.objects[1]], [])
    assert await propose(client, alice, dave, alice.objects, []) == (
        409,
        refusal("too_many_open_trades", "you have 2 open trades; wait for answers or cancel one"),
    )
    # trades proposed to me do not count against my cap
    await made(client, bob, alice, [bob.objects[0]], [])
    await client.post(f"/api/trades/{first['id']}/cancel", headers=alice.headers)
    await made(client, alice, dave, alice.objects, [])


@pytest.mark.parametrize("rules_overrides", [{"trade_ttl_hours": 5}])
async def test_the_expiry_follows_the_setting(
    client: ApiClient, alice: Person, bob: Person, rules_overrides: dict[str, Any]
) -> None:
    body = await made(client, alice, bob, [alice.objects[0]], [])
    left = datetime.fromisoformat(body["expires_at"]) - datetime.now(UTC)
    assert timedelta(hours=4, minutes=59) < left <= timedelta(hours=5)
