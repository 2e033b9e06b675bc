"""What an operator hid (one object, or a banned person's whole collection) is absent from every
path a stranger reads, through the one visibility fragment; its owner still sees a hidden one."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from tests.moderation.conftest import Json, Person, call, moderate
from tests.trades.conftest import act, made
from tests.webapp.helpers import ApiClient


def ids(page: Json) -> list[int]:
    return [item["id"] for item in page["items"]]


async def prepared(client: ApiClient, alice: Person, bob: Person) -> Json:
    """Alice favourited Bob's first object and asked for it in a trade Bob declined."""
    target = bob.objects[0]
    response = await client.put(f"/api/objects/{target}/favorite", headers=alice.headers)
    assert response.status in (200, 204), await response.text()
    trade = await made(client, alice, bob, [alice.objects[0]], [target])
    assert (await act(client, bob, trade["id"], "decline"))[0] == 200
    return trade


async def stranger_reads(client: ApiClient, who: Person | None, bob: Person, trade: Json
                         ) -> dict[str, Any]:  # fmt: skip
    target = bob.objects[0]
    seen: dict[str, Any] = {}
    for path in ("/objects", "/objects?q=Bob", f"/objects?owner={bob.id}"):
        status, page = await call(client, who, "GET", path)
        seen[path] = (status, target in ids(page))
    for path in (f"/objects/{target}", f"/objects/{target}/history"):
        seen[path] = (await call(client, who, "GET", path))[0]
    if who is not None:
        seen["favorites"] = target in ids((await call(client, who, "GET", "/me/favorites"))[1])
        _, view = await call(client, who, "GET", f"/trades/{trade['id']}")
        [line] = view["take"]
        seen["trade line"] = (line["visible"], line["media"], line["owner"])
    return seen


HIDDEN_TO_STRANGERS = {
    "/objects": (200, False), "/objects?q=Bob": (200, False),
    "/objects?owner={bob}": (200, False),
    "/objects/{target}": 404, "/objects/{target}/history": 404,
    "favorites": False, "trade line": (False, None, None),
}  # fmt: skip


def expected(bob: Person, anonymous: bool = False) -> dict[str, Any]:
    wanted = {
        k.format(bob=bob.id, target=bob.objects[0]): v for k, v in HIDDEN_TO_STRANGERS.items()
    }
    if anonymous:
        del wanted["favorites"], wanted["trade line"]
    return wanted


@pytest.mark.parametrize("how", ["hide", "ban"])
async def test_hidden_from_every_list_and_lookup_of_a_stranger(
    client: ApiClient, alice: Person, bob: Person, oper: Person, how: str
) -> None:
    trade = await prepared(client, alice, bob)
    before = await stranger_reads(client, alice, bob, trade)
    assert before["/objects"] == (200, True)  # seen before: the test can see a difference
    target = f"objects/{bob.objects[0]}" if how == "hide" else f"users/{bob.id}"
    assert (await moderate(client, oper, target, how))[0] == 200
    assert await stranger_reads(client, alice, bob, trade) == expected(bob)
    assert await stranger_reads(client, None, bob, trade) == expected(bob, anonymous=True)
    status, profile = await call(client, alice, "GET", f"/users/{bob.id}")
    if how == "hide":  # one object fewer to count
        counts = (profile["owned"], profile["created"], profile["can_view"])
        assert (status, counts) == (200, (1, 1, True))
    else:  # a banned person is nobody here, as an unknown id
        unknown = 4242424242
        answers = {unknown: await call(client, alice, "GET", f"/users/{unknown}"),
                   bob.id: (status, profile)}  # fmt: skip
        for who, answer in answers.items():
            assert answer == (404, {"error": "user_not_found",
                                    "detail": f"user {who} does not exist"})  # fmt: skip


async def test_the_owner_still_sees_a_hidden_object_everywhere(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    trade = await prepared(client, alice, bob)
    target = bob.objects[0]
    assert (await moderate(client, oper, f"objects/{target}", "hide"))[0] == 200
    for path in ("/me/objects", f"/objects?owner={bob.id}", "/objects"):
        status, page = await call(client, bob, "GET", path)
        assert (status, target in ids(page)) == (200, True), path
    for path in (f"/objects/{target}", f"/objects/{target}/history", f"/trades/{trade['id']}"):
        assert (await call(client, bob, "GET", path))[0] == 200, path
    _, profile = await call(client, bob, "GET", f"/users/{bob.id}")
    assert profile["owned"] == 2
    assert (await moderate(client, oper, f"objects/{target}", "restore"))[0] == 200
    assert (await call(client, alice, "GET", f"/objects/{target}"))[0] == 200
