"""A ban: the person's API calls are 403 `banned`, their pending trades, transfers and access
requests end with pushes to the other side, and they are told why; an unban lets them back."""

from __future__ import annotations

import asyncio

import asyncpg

from sandbox.runner import RunningSandbox
from tests.bot.helpers import bot_messages
from tests.moderation.conftest import Json, Person, call, count, moderate, pushes_to, texts_to
from tests.trades.conftest import made, person
from tests.webapp.helpers import ApiClient, launch_init_data

BANNED = {"error": "banned", "detail": "this account is banned by the moderators"}


async def test_a_banned_person_is_refused_at_every_api_route(
    client: ApiClient, alice: Person, bob: Person, oper: Person
) -> None:
    assert (await moderate(client, oper, f"users/{bob.id}", "ban", "spam bot"))[0] == 200
    attempts = [
        ("GET", "/me", None), ("GET", "/objects", None), ("GET", "/me/objects", None),
        ("GET", f"/objects/{alice.objects[0]}", None), ("GET", f"/users/{alice.id}", None),
        ("PATCH", f"/objects/{bob.objects[0]}", {"title": "new"}),
        ("POST", "/trades", {"recipient_id": alice.id, "give": [bob.objects[0]],
                             "take": [alice.objects[0]], "message": ""}),
        ("POST", "/transfers", {"object_id": bob.objects[0]}),
        ("POST", f"/objects/{alice.objects[0]}/reports", {"reason": "revenge"}),
        ("PUT", f"/objects/{alice.objects[0]}/favorite", None),
        ("POST", "/profile-requests", {"target_id": alice.id}),
        ("GET", "/trades", None), ("GET", "/transfers", None),
    ]  # fmt: skip
    for method, path, body in attempts:
        assert await call(client, bob, method, path, body) == (403, BANNED), path


async def test_a_banned_person_cannot_log_in_and_an_operator_logs_in_as_one(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, bob: Person,
    oper: Person,
) -> None:  # fmt: skip
    assert oper.login.body["user"]["operator"] is True
    assert (await moderate(client, oper, f"users/{bob.id}", "ban"))[0] == 200
    sessions = await count(db, "SELECT count(*) FROM auth_sessions")
    _, init_data = await launch_init_data(sandbox, user_id=bob.id)
    response = await client.post("/api/auth", json={"init_data": init_data})
    assert (response.status, await response.json()) == (403, BANNED)
    assert await count(db, "SELECT count(*) FROM auth_sessions") == sessions


async def test_a_ban_ends_what_was_pending_and_tells_the_other_side(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person,
    bob: Person, carol: Person, oper: Person,
) -> None:  # fmt: skip
    offered = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    asked = await made(client, bob, carol, [bob.objects[1]], [carol.objects[0]])
    transfer = await transfer_to(client, bob, bob.objects[0], carol)
    incoming = await transfer_to(client, alice, alice.objects[1], bob)
    dave = await person(client, sandbox, db, "Dave", 0)
    assert (await call(client, dave, "PATCH", "/me", {"privacy": "approved"}))[0] == 200
    status, request = await call(client, bob, "POST", "/profile-requests", {"target_id": dave.id})
    assert status == 201, request
    before = {p.id: len(await pushes_to(db, p.id)) for p in (alice, bob, carol)}

    assert (await moderate(client, oper, f"users/{bob.id}", "ban", "<i>fraud</i>"))[0] == 200

    trades = await db.fetch("SELECT id, status FROM trades ORDER BY id")
    assert [tuple(r) for r in trades] == [
        (offered["id"], "invalidated"),
        (asked["id"], "invalidated"),
    ]
    transfers = await db.fetch("SELECT id, status FROM transfers ORDER BY id")
    assert [tuple(r) for r in transfers] == [(transfer["id"], "invalidated"),
                                             (incoming["id"], "invalidated")]  # fmt: skip
    assert await db.fetchval("SELECT status FROM profile_requests") == "cancelled"
    new = {p.id: (await pushes_to(db, p.id))[before[p.id] :] for p in (alice, bob, carol)}
    assert sorted((n["kind"], n["what"]) for n in new[alice.id]) == [
        ("voided", "trade"), ("voided", "transfer")]  # fmt: skip
    asked_and_ended = [(n["kind"], n.get("outcome")) for n in await pushes_to(db, dave.id)]
    assert asked_and_ended == [("access_requested", None), ("access_decided", "cancelled")]
    assert sorted((n["kind"], n.get("what")) for n in new[carol.id]) == [
        ("voided", "trade"),
        ("voided", "transfer"),
    ]
    assert new[bob.id] == [{"kind": "banned", "reason": "<i>fraud</i>"}]  # nothing else to him
    [told] = (await texts_to(db, bob.id))[-1:]
    assert told == "The moderators have blocked your account. Reason: &lt;i&gt;fraud&lt;/i&gt;."
    # and the sender delivered them: Carol's chat in the sandbox says both ended
    await delivered(sandbox, carol.id, [
        "The trade with Bob is no longer valid: an object in it is now hidden by privacy settings.",
        "The transfer of «Bob 1» is no longer valid.",
    ])  # fmt: skip


async def delivered(sandbox: RunningSandbox, user_id: int, texts: list[str]) -> None:
    for _ in range(200):
        said = [m["text"] for m in await bot_messages(sandbox.control, user_id)]
        if all(text in said for text in texts):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never delivered to {user_id}: {texts}; the chat says {said}")


async def test_a_request_to_a_banned_person_is_closed_for_the_asker(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    assert (await call(client, bob, "PATCH", "/me", {"privacy": "approved"}))[0] == 200
    status, request = await call(client, alice, "POST", "/profile-requests", {"target_id": bob.id})
    assert status == 201, request
    assert (await moderate(client, oper, f"users/{bob.id}", "ban"))[0] == 200
    assert await db.fetchval("SELECT status FROM profile_requests") == "cancelled"
    [closed] = await pushes_to(db, alice.id)
    assert closed == {"kind": "access_decided", "outcome": "closed", "other_name": "Bob"}
    assert "closed" in (await texts_to(db, alice.id))[-1]


async def transfer_to(client: ApiClient, owner: Person, object_id: int, to: Person) -> Json:
    body = {"object_id": object_id, "to_user_id": to.id}
    status, created = await call(client, owner, "POST", "/transfers", body)
    assert status == 201, created
    return dict(created)


async def test_nobody_offers_transfers_or_asks_a_banned_person_anything(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    assert (await call(client, bob, "PATCH", "/me", {"privacy": "approved"}))[0] == 200
    assert (await moderate(client, oper, f"users/{bob.id}", "ban"))[0] == 200
    trade = {"recipient_id": bob.id, "give": [alice.objects[0]], "take": [], "message": ""}
    status, body = await call(client, alice, "POST", "/trades", trade)
    assert (status, body["error"]) == (404, "recipient_not_found")
    status, body = await transfer_attempt(client, alice, alice.objects[0], bob)
    assert (status, body["error"]) == (400, "unknown_receiver")
    status, body = await call(client, alice, "POST", "/profile-requests", {"target_id": bob.id})
    assert (status, body["error"]) == (404, "user_not_found")
    for table in ("trades", "transfers", "profile_requests"):
        assert await count(db, f"SELECT count(*) FROM {table}") == 0  # noqa: S608


async def transfer_attempt(client: ApiClient, owner: Person, object_id: int, to: Person
                           ) -> tuple[int, Json]:  # fmt: skip
    return await call(client, owner, "POST", "/transfers", {"object_id": object_id,
                                                            "to_user_id": to.id})  # fmt: skip


async def test_an_unban_lets_the_person_back(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    assert (await moderate(client, oper, f"users/{bob.id}", "ban"))[0] == 200
    assert (await call(client, bob, "GET", "/me"))[0] == 403
    assert (await moderate(client, oper, f"users/{bob.id}", "ban"))[1]["error"] == "already_banned"
    assert (await moderate(client, oper, f"users/{bob.id}", "unban", "appeal"))[0] == 200
    assert (await call(client, bob, "GET", "/me"))[0] == 200
    assert (await call(client, alice, "GET", f"/objects/{bob.objects[0]}"))[0] == 200
    assert (await moderate(client, oper, f"users/{bob.id}", "unban"))[1]["error"] == "not_banned"
    assert [n["kind"] for n in await pushes_to(db, bob.id)] == ["banned", "unbanned"]


async def test_a_hidden_object_cannot_change_hands(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    target = bob.objects[0]
    await made(client, alice, bob, [alice.objects[0]], [target])
    _, qr = await call(client, bob, "POST", "/transfers", {"object_id": target})
    assert (await moderate(client, oper, f"objects/{target}", "hide"))[0] == 200
    statuses = await db.fetch("SELECT status FROM trades UNION ALL SELECT status FROM transfers")
    assert [r["status"] for r in statuses] == ["invalidated", "invalidated"]
    assert sorted(n["what"] for n in await pushes_to(db, alice.id) if n["kind"] == "voided") == [
        "trade"
    ]
    status, body = await call(client, bob, "POST", "/transfers", {"object_id": target})
    assert (status, body["error"]) == (409, "hidden")
    status, body = await call(
        client,
        alice,
        "POST",
        "/trades",
        {"recipient_id": bob.id, "give": [alice.objects[1]], "take": [target], "message": ""},
    )
    assert status in (404, 409), body
    status, body = await call(
        client,
        bob,
        "POST",
        "/trades",
        {"recipient_id": alice.id, "give": [target], "take": [alice.objects[1]], "message": ""},
    )
    assert status in (403, 404, 409), body
    status, body = await call(client, alice, "POST", "/transfers/claim", {"token": qr["token"]})
    assert status >= 400, body
    assert await db.fetchval("SELECT owner_id FROM art_objects WHERE id = $1", target) == bob.id


async def test_a_ban_racing_a_trade_accept_leaves_one_outcome(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    offered = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    accepted, banned = await asyncio.gather(
        call(
            client, bob, "POST", f"/trades/{offered['id']}/accept", {"version": offered["version"]}
        ),
        moderate(client, oper, f"users/{bob.id}", "ban"),
    )
    assert banned[0] == 200
    trade = {"status": await db.fetchval("SELECT status FROM trades")}
    owner = await db.fetchval("SELECT owner_id FROM art_objects WHERE id = $1", bob.objects[0])
    if accepted[0] == 200:
        assert (trade["status"], owner) == ("accepted", alice.id)
    else:
        assert (trade["status"], owner) == ("invalidated", bob.id)
