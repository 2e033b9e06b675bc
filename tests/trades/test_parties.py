"""Who sees a trade and acts on it: its two parties only, each in their own boxes."""

from __future__ import annotations

from tests.trades.conftest import Json, Person, accept, act, made, refusal
from tests.webapp.helpers import ApiClient


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
