"""Bait and switch: what a person accepts is exactly what they were shown.

Mallory offers her «Golden bait» for Alice's object, then changes the bait in every way an object
can change (deletes it, trades or transfers it away, renames it, hides it by privacy, or Alice's
side is hidden from her by a revoked approval). Each voids the trade at once, both hear it, and
Alice's accept, with the version she saw, moves nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg
import pytest

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.test_collection_chat import wait_for_edit
from tests.pushes import pushed_text
from tests.security.conftest import insert_object
from tests.trades.conftest import Json, Person, accept, made, owners, person, statuses
from tests.trades.test_chat import chat_person, press, trade_push
from tests.webapp.helpers import ApiClient

Change = Callable[[ApiClient, Person, Person, Person, int], Awaitable[None]]


async def delete(
    client: ApiClient, mallory: Person, alice: Person, carol: Person, bait: int
) -> None:
    response = await client.delete(f"/api/objects/{bait}", headers=mallory.headers)
    assert response.status == 204, await response.text()


async def trade_away(
    client: ApiClient, mallory: Person, alice: Person, carol: Person, bait: int
) -> None:
    other = await made(client, mallory, carol, [bait], [])
    assert (await accept(client, carol, other))[0] == 200


async def transfer_away(
    client: ApiClient, mallory: Person, alice: Person, carol: Person, bait: int
) -> None:
    body = {"object_id": bait, "to_user_id": carol.id}
    created = await client.post("/api/transfers", json=body, headers=mallory.headers)
    assert created.status == 201, await created.text()
    transfer_id = (await created.json())["id"]
    claimed = await client.post(f"/api/transfers/{transfer_id}/accept", headers=carol.headers)
    assert claimed.status == 200, await claimed.text()


async def rename(
    client: ApiClient, mallory: Person, alice: Person, carol: Person, bait: int
) -> None:
    response = await client.patch(
        f"/api/objects/{bait}", json={"title": "Worthless"}, headers=mallory.headers
    )
    assert response.status == 200, await response.text()


async def go_private(
    client: ApiClient, mallory: Person, alice: Person, carol: Person, bait: int
) -> None:
    response = await client.patch("/api/me", json={"privacy": "private"}, headers=mallory.headers)
    assert response.status == 200, await response.text()


CHANGES: dict[str, tuple[Change, str]] = {
    "delete": (delete, "an object in it was deleted"),
    "trade_away": (trade_away, "an object in it changed hands"),
    "transfer_away": (transfer_away, "an object in it changed hands"),
    "rename": (rename, "an object in it was renamed"),
    "hide": (go_private, "an object in it is no longer visible to both people"),
}
VOID_PUSH = {
    "delete": "was deleted",
    "trade_away": "changed hands",
    "transfer_away": "changed hands",
    "rename": "was renamed",
    "hide": "hidden by privacy settings",
}


async def bait_trade(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person
) -> tuple[Person, int, Json]:
    mallory = await person(client, sandbox, db, "Mallory", objects=0)
    bait = await insert_object(db, mallory.id, "Golden bait")
    trade = await made(client, mallory, alice, [bait], [alice.objects[1]])
    return mallory, bait, trade


async def pushed_texts(db: asyncpg.Connection, user_id: int) -> list[str]:
    rows = await db.fetch("SELECT body FROM outbox WHERE user_id = $1 ORDER BY id", user_id)
    return [pushed_text(r["body"]) for r in rows]


@pytest.mark.parametrize("change", list(CHANGES))
async def test_a_changed_bait_voids_the_trade_and_nothing_moves(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection,
    alice: Person, carol: Person, change: str,
) -> None:  # fmt: skip
    mallory, bait, trade = await bait_trade(client, sandbox, db, alice)
    before = await owners(db)
    act, reason = CHANGES[change]
    await act(client, mallory, alice, carol, bait)
    row = await db.fetchrow("SELECT status, status_reason, version FROM trades WHERE id = $1",
                            trade["id"])  # fmt: skip
    assert row is not None
    assert tuple(row) == ("invalidated", reason, 2)
    for version in (1, 2):  # the version she saw, and the one after
        status, body = await accept(client, alice, {**trade, "version": version})
        assert (status, body["error"]) == (409, "trade_invalidated"), body
    assert (await owners(db))[alice.objects[1]] == alice.id == before[alice.objects[1]]
    for who in (alice, mallory):  # both sides hear it, and why
        assert any(VOID_PUSH[change] in text for text in await pushed_texts(db, who.id)), who


async def test_a_deleted_bait_leaves_the_line_as_it_was_proposed(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person
) -> None:
    mallory, bait, trade = await bait_trade(client, sandbox, db, alice)
    await delete(client, mallory, alice, alice, bait)
    for who in (alice, mallory):
        view = await (await client.get(f"/api/trades/{trade['id']}", headers=who.headers)).json()
        assert view["status"] == "invalidated"
        assert view["give"] == [{
            "id": None, "title": "Golden bait", "visible": False, "owner": None,
            "owner_when_proposed": mallory.id, "placeholder": None, "media": None,
        }]  # fmt: skip
        assert [i["id"] for i in view["take"]] == [alice.objects[1]]


async def test_accept_in_the_chat_after_the_bait_is_deleted_changes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    mallory = await chat_person(client, sandbox, db, "Mallory")
    alice = await chat_person(client, sandbox, db, "Alice")
    bait = await insert_object(db, mallory.id, "Golden bait")
    trade = await made(client, mallory, alice, [bait], [alice.objects[1]])
    message = await trade_push(sandbox, alice)
    await delete(client, mallory, alice, alice, bait)
    await press(sandbox, alice, message, encode("ta", trade["id"], 1))
    edited = await wait_for_edit(sandbox, alice.id, message["mid"])
    assert edited["text"] == "This trade is no longer valid."
    assert (await owners(db))[alice.objects[1]] == alice.id
    assert (await statuses(db))[trade["id"]] == "invalidated"


async def test_a_revoked_approval_voids_trades_for_what_it_hid(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person
) -> None:
    mallory = await person(client, sandbox, db, "Mallory")
    await client.patch("/api/me", json={"privacy": "approved"}, headers=alice.headers)
    asked = await client.post(
        "/api/profile-requests", json={"target_id": alice.id}, headers=mallory.headers
    )
    request_id = (await asked.json())["id"]
    await client.post(f"/api/profile-requests/{request_id}/approve", headers=alice.headers)
    trade = await made(client, mallory, alice, [mallory.objects[0]], [alice.objects[1]])
    revoked = await client.post(
        f"/api/profile-requests/{request_id}/revoke", headers=alice.headers
    )
    assert revoked.status == 200, await revoked.text()
    assert (await statuses(db))[trade["id"]] == "invalidated"
    status, body = await accept(client, alice, trade)
    assert (status, body["error"]) == (409, "trade_invalidated")


async def test_the_database_refuses_to_delete_what_a_pending_trade_names(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person
) -> None:
    _, bait, trade = await bait_trade(client, sandbox, db, alice)
    with pytest.raises(asyncpg.RestrictViolationError, match="named by a pending"):
        await db.execute("DELETE FROM art_objects WHERE id = $1", bait)
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="never change"):
        await db.execute("UPDATE trade_items SET owner_id = owner_id WHERE trade_id = $1",
                         trade["id"])  # fmt: skip
    with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="never change"):
        await db.execute("DELETE FROM trade_items WHERE trade_id = $1", trade["id"])


@pytest.mark.parametrize(
    ("sneak", "code"),
    [
        ("UPDATE users SET privacy = 'private' WHERE id = $1", "object_hidden"),
        ("UPDATE art_objects SET title = 'Worthless' WHERE owner_id = $1", "object_changed"),
    ],
)
async def test_accept_itself_checks_what_was_shown_under_the_locks(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person,
    sneak: str, code: str,
) -> None:  # fmt: skip
    """Even a change that skipped the voiding (written straight to the database) is caught."""
    mallory, _, trade = await bait_trade(client, sandbox, db, alice)
    await db.execute(sneak, mallory.id)
    status, body = await accept(client, alice, trade)
    assert (status, body["error"]) == (409, code), body
    assert (await statuses(db))[trade["id"]] == "invalidated"
    assert (await owners(db))[alice.objects[1]] == alice.id
