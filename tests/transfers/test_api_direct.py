"""Direct transfers: only the named person accepts or declines; boxes show each person theirs."""

from __future__ import annotations

import asyncpg

from bot.payloads import encode
from tests.pushes import pushed_message
from tests.transfers.conftest import Person, call, create, owner_of, pushes
from tests.webapp.helpers import ApiClient


async def test_the_named_person_gets_a_push_with_the_image_and_buttons(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna, to_user_id=bob.id)
    assert created["kind"] == "direct"
    assert created["to"] == {"id": bob.id, "name": "Bob"}
    for field in ("token", "deep_link", "app_link", "qr_png_url"):
        assert created[field] is None
    [row] = await db.fetch("SELECT body FROM outbox WHERE user_id = $1", bob.id)
    message = pushed_message(row["body"])
    assert message["text"] == "Anna wants to hand «Anna's 1» over to you. Accept it?"
    [keyboard] = message["attachments"]
    assert [(b["text"], b["payload"]) for b in keyboard["payload"]["buttons"][0]] == [
        ("Accept", encode("ty", created["id"])),
        ("Decline", encode("tn", created["id"])),
    ]
    assert message["photo"]["photo_id"] > 0


async def test_only_the_named_person_accepts(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person, eve: Person
) -> None:
    created = await create(client, anna, to_user_id=bob.id)
    accept = f"/transfers/{created['id']}/accept"
    for stranger in (eve, anna):
        status, refused = await call(client, "POST", accept, stranger)
        assert (status, refused["error"]) == (404, "transfer_not_found")
    status, accepted = await call(client, "POST", accept, bob)
    assert (status, accepted["status"]) == (200, "claimed")
    assert await owner_of(db, anna.objects[0]) == bob.id
    assert await pushes(db, anna.id) == ["«Anna's 1» now belongs to Bob."]
    status, refused = await call(client, "POST", accept, bob)
    assert (status, refused["error"]) == (409, "transfer_claimed")


async def test_decline_is_for_the_named_person_and_tells_the_owner(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person, eve: Person
) -> None:
    created = await create(client, anna, to_user_id=bob.id)
    decline = f"/transfers/{created['id']}/decline"
    status, refused = await call(client, "POST", decline, eve)
    assert (status, refused["error"]) == (404, "transfer_not_found")
    status, declined = await call(client, "POST", decline, bob)
    assert (status, declined["status"]) == (200, "declined")
    assert await pushes(db, anna.id) == ["Bob declined «Anna's 1»."]
    status, refused = await call(client, "POST", f"/transfers/{created['id']}/accept", bob)
    assert (status, refused["error"]) == (410, "transfer_declined")
    assert await owner_of(db, anna.objects[0]) == anna.id


async def test_a_qr_transfer_is_not_accepted_by_id(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    for action in ("accept", "decline"):
        status, refused = await call(client, "POST", f"/transfers/{created['id']}/{action}", bob)
        assert (status, refused["error"]) == (404, "transfer_not_found")
    assert await db.fetchval("SELECT status FROM transfers") == "pending"


async def test_nobody_transfers_to_themselves_or_to_nobody(client: ApiClient, anna: Person) -> None:
    body = {"object_id": anna.objects[0], "to_user_id": anna.id}
    status, refused = await call(client, "POST", "/transfers", anna, body)
    assert (status, refused["error"]) == (400, "own_transfer")
    body["to_user_id"] = 10**15
    status, refused = await call(client, "POST", "/transfers", anna, body)
    assert (status, refused["error"]) == (400, "unknown_receiver")


async def test_boxes_show_each_person_only_theirs(
    client: ApiClient, anna: Person, bob: Person, eve: Person
) -> None:
    direct = await create(client, anna, to_user_id=bob.id)

    async def box(who: Person, name: str) -> list[int]:
        status, listed = await call(client, "GET", f"/transfers?box={name}", who)
        assert status == 200
        return [item["id"] for item in listed["items"]]

    assert await box(anna, "outgoing") == [direct["id"]]
    assert await box(bob, "incoming") == [direct["id"]]
    assert await box(bob, "outgoing") == []
    assert await box(eve, "incoming") == []
    assert await box(eve, "outgoing") == []
    assert await box(anna, "incoming") == []
    status, refused = await call(client, "GET", "/transfers?box=everyone", eve)
    assert (status, refused["error"]) == (400, "invalid")
    assert (await client.get("/api/transfers?box=outgoing")).status == 401
