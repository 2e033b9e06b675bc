"""What a private collection hides stays hidden in every corner: trade views, duplicate refusals,
profiles, histories, and the difference between "not yours" and "not there"."""

from __future__ import annotations

from typing import Any

import asyncpg

from sandbox.runner import RunningSandbox
from tests.bot.helpers import wait_for_bot_messages
from tests.media.images import encode, photo
from tests.photos.conftest import post_photo
from tests.security.conftest import insert_object
from tests.trades.conftest import Json, Person, accept, act, made, person
from tests.webapp.helpers import ApiClient

SECRET = "C1 secret diary"


async def set_privacy(client: ApiClient, who: Person, privacy: str) -> None:
    response = await client.patch("/api/me", json={"privacy": privacy}, headers=who.headers)
    assert response.status == 200, await response.text()


async def get(client: ApiClient, who: Person, path: str) -> tuple[int, Any]:
    response = await client.get(f"/api{path}", headers=who.headers)
    return response.status, await response.json()


def line_as_proposed(body: Json, side: str) -> Json:
    [line] = body[side]
    return dict(line)


async def test_a_trade_view_shows_only_the_line_once_its_owner_went_private(
    client: ApiClient, alice: Person, bob: Person
) -> None:
    trade = await made(client, bob, alice, [bob.objects[0]], [alice.objects[0]])
    await set_privacy(client, bob, "private")
    renamed = await client.patch(f"/api/objects/{bob.objects[0]}", json={"title": SECRET},
                                 headers=bob.headers)  # fmt: skip
    assert renamed.status == 200
    status, view = await get(client, alice, f"/trades/{trade['id']}")
    assert (status, view["status"]) == (200, "invalidated")
    assert line_as_proposed(view, "give") == {
        "id": bob.objects[0], "title": "Bob 1", "visible": False, "owner": None,
        "owner_when_proposed": bob.id, "placeholder": None, "media": None,
    }  # fmt: skip
    assert SECRET not in str(view)
    # Bob, the owner, still sees his own object in full
    status, own = await get(client, bob, f"/trades/{trade['id']}")
    assert line_as_proposed(own, "give")["media"]["thumb"].startswith("/media/")


async def test_a_trade_view_does_not_follow_an_object_into_a_private_collection(
    client: ApiClient, alice: Person, bob: Person, carol: Person
) -> None:
    old = await made(client, bob, alice, [bob.objects[0]], [])
    assert (await act(client, alice, old["id"], "decline"))[0] == 200
    sold = await made(client, bob, carol, [bob.objects[0]], [])
    assert (await accept(client, carol, sold))[0] == 200
    await set_privacy(client, carol, "private")
    await client.patch(f"/api/objects/{bob.objects[0]}", json={"title": SECRET},
                       headers=carol.headers)  # fmt: skip
    for path in (f"/trades/{old['id']}", "/trades?box=incoming&status=declined"):
        status, body = await get(client, alice, path)
        assert status == 200
        assert SECRET not in str(body), body
        assert "Carol" not in str(body), body
    status, view = await get(client, alice, f"/trades/{old['id']}")
    assert line_as_proposed(view, "give")["visible"] is False


async def test_a_duplicate_of_a_private_photo_is_refused_without_naming_it(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, carol: Person,
    bob: Person,
) -> None:  # fmt: skip
    original = encode(photo(41, (640, 480)), "JPEG", quality=92)
    status, body = await post_photo(client, carol.login, original, SECRET)
    assert status == 201, body
    await set_privacy(client, carol, "private")
    assert await post_photo(client, bob.login, original) == (
        409, {"error": "duplicate", "detail": "this photo is already in the gallery"},
    )  # fmt: skip
    copy = encode(photo(41, (640, 480)), "JPEG", quality=60)
    assert await post_photo(client, bob.login, copy) == (
        409,
        {"error": "near_duplicate", "detail": "a very similar photo is already in the gallery"},
    )
    # the chat says the same, and no more
    await sandbox.control.send_photos(bob.id, [original, copy])
    replies = [m["text"] for m in await wait_for_bot_messages(sandbox.control, bob.id, 2)]
    assert replies[-2:] == [
        "Photo not added: it is already in the gallery.",
        "Photo not added: a very similar photo is already in the gallery.",
    ]
    # to Carol herself, her own title is no secret
    status, body = await post_photo(client, carol.login, original)
    assert (status, body["detail"]) == (409, f"already in the gallery as «{SECRET}»")


async def test_a_profile_hides_its_counts_from_those_who_may_not_see_it(
    client: ApiClient, alice: Person, bob: Person
) -> None:
    await set_privacy(client, bob, "private")
    status, seen = await get(client, alice, f"/users/{bob.id}")
    assert status == 200
    counts = {k: seen[k] for k in ("owned", "created", "favorites_received", "can_view")}
    assert counts == {"owned": None, "created": None, "favorites_received": None,
                      "can_view": False}  # fmt: skip
    status, own = await get(client, bob, f"/users/{bob.id}")
    assert (own["owned"], own["created"], own["favorites_received"]) == (2, 2, 0)
    anonymous = await (await client.get(f"/api/users/{bob.id}")).json()
    assert anonymous["owned"] is None


async def test_a_history_names_a_private_former_owner_only_to_those_who_may_know(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection,
    alice: Person, bob: Person, carol: Person,
) -> None:  # fmt: skip
    """Bob made it, sold it to Carol, who sold it on to Alice; then Carol went private."""
    thing = await insert_object(db, bob.id, "Heirloom")
    to_carol = await made(client, bob, carol, [thing], [])
    assert (await accept(client, carol, to_carol))[0] == 200
    to_alice = await made(client, carol, alice, [thing], [])
    assert (await accept(client, alice, to_alice))[0] == 200
    await set_privacy(client, carol, "private")
    stranger = await person(client, sandbox, db, "Sam", objects=0)
    status, events = await get(client, stranger, f"/objects/{thing}/history?lang=en")
    assert status == 200
    assert [(e["from"], e["to"], e["text"]) for e in events] == [
        (None, {"id": bob.id, "name": "Bob"}, "Created by Bob"),
        ({"id": bob.id, "name": "Bob"}, None, "Traded with a private collector"),
        (None, {"id": alice.id, "name": "Alice"}, "Traded with Alice"),
    ]
    status, detail = await get(client, stranger, f"/objects/{thing}")
    assert "Carol" not in str(detail["history"])
    assert str(carol.id) not in str(detail["history"])
    # Alice traded with Carol herself: she may know who it was
    status, events = await get(client, alice, f"/objects/{thing}/history?lang=en")
    assert events[2]["from"] == {"id": carol.id, "name": "Carol"}
    assert events[1]["to"] is None  # the move between Bob and Carol was not hers


async def test_not_yours_and_not_there_answer_alike_for_what_you_may_not_see(
    client: ApiClient, alice: Person, carol: Person
) -> None:
    await set_privacy(client, carol, "private")
    hidden, missing = carol.objects[0], 987654321
    for object_id in (hidden, missing):
        edit = await client.patch(f"/api/objects/{object_id}", json={"title": "Mine now"},
                                  headers=alice.headers)  # fmt: skip
        delete = await client.delete(f"/api/objects/{object_id}", headers=alice.headers)
        transfer = await client.post("/api/transfers", json={"object_id": object_id},
                                     headers=alice.headers)  # fmt: skip
        expected = {"error": "not_found", "detail": f"art object {object_id} does not exist"}
        for response in (edit, delete, transfer):
            assert (response.status, await response.json()) == (404, expected)
    # what you may see but do not own is still "not yours"
    await set_privacy(client, carol, "public")
    edit = await client.patch(f"/api/objects/{hidden}", json={"title": "Mine now"},
                              headers=alice.headers)  # fmt: skip
    assert edit.status == 403
