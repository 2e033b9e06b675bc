"""Access requests: every transition, who may make it, expiry, and the pushes with buttons."""

from __future__ import annotations

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from gallery.profiles.requests import expire_profile_requests
from sandbox.runner import RunningSandbox
from tests.bot.helpers import bot_messages, buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import keyboard_with, wait_for_edit, wait_for_notification
from tests.profiles.conftest import ask, set_privacy
from tests.webapp.helpers import LoggedIn, login

Client = TestClient[web.Request, web.Application]


async def pair(client: Client, sandbox: RunningSandbox) -> tuple[LoggedIn, LoggedIn]:
    target = await login(client, sandbox, first_name="Olga", language_code="en")
    requester = await login(client, sandbox, first_name="Alex", language_code="en")
    await set_privacy(client, target, "approved")
    return target, requester


async def act(client: Client, who: LoggedIn, request_id: int, action: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = await client.post(
        f"/api/profile-requests/{request_id}/{action}", headers=who.headers
    )
    return response.status, await response.json()


async def test_asking_is_refused_for_public_profiles_oneself_and_twice(
    client: Client, sandbox: RunningSandbox
) -> None:
    target, requester = await pair(client, sandbox)
    headers = requester.headers
    own = await client.post(
        "/api/profile-requests", json={"target_id": requester.user_id}, headers=headers
    )
    assert (own.status, (await own.json())["error"]) == (400, "own_profile")
    await ask(client, requester, target)
    again = await client.post(
        "/api/profile-requests", json={"target_id": target.user_id}, headers=headers
    )
    assert (again.status, (await again.json())["error"]) == (409, "request_pending")
    await set_privacy(client, target, "public")
    public = await client.post(
        "/api/profile-requests", json={"target_id": target.user_id}, headers=headers
    )
    assert (public.status, (await public.json())["error"]) == (409, "profile_public")
    nobody = await client.post("/api/profile-requests", json={"target_id": 1}, headers=headers)
    assert (nobody.status, (await nobody.json())["error"]) == (404, "user_not_found")


async def test_approve_then_revoke_opens_and_closes_the_collection(
    client: Client, sandbox: RunningSandbox
) -> None:
    target, requester = await pair(client, sandbox)
    request_id = await ask(client, requester, target)
    profile = await client.get(f"/api/users/{target.user_id}", headers=requester.headers)
    assert (await profile.json())["access"] == "pending"
    assert (await profile.json())["can_view"] is False
    assert await act(client, requester, request_id, "approve") == (
        403,
        {"error": "not_your_side", "detail": "the other side of this request decides that"},
    )
    status, body = await act(client, target, request_id, "approve")
    assert (status, body["status"]) == (200, "approved")
    profile = await client.get(f"/api/users/{target.user_id}", headers=requester.headers)
    assert {k: (await profile.json())[k] for k in ("access", "can_view")} == {
        "access": "approved",
        "can_view": True,
    }
    again = await client.post(
        "/api/profile-requests", json={"target_id": target.user_id}, headers=requester.headers
    )
    assert (await again.json())["error"] == "already_approved"
    status, body = await act(client, target, request_id, "revoke")
    assert (status, body["status"]) == (200, "revoked")
    profile = await client.get(f"/api/users/{target.user_id}", headers=requester.headers)
    assert (await profile.json())["can_view"] is False
    assert (await act(client, target, request_id, "revoke"))[0] == 409


async def test_decline_and_cancel_and_who_may_do_them(
    client: Client, sandbox: RunningSandbox
) -> None:
    target, requester = await pair(client, sandbox)
    stranger = await login(client, sandbox, first_name="Sam", language_code="en")
    first = await ask(client, requester, target)
    assert (await act(client, stranger, first, "decline"))[0] == 404
    assert (await act(client, requester, first, "decline"))[0] == 403
    assert (await act(client, target, first, "cancel"))[0] == 403
    status, body = await act(client, target, first, "decline")
    assert (status, body["status"]) == (200, "declined")
    assert (await act(client, target, first, "approve")) == (
        409,
        {"error": "request_declined", "detail": "the request is declined"},
    )
    second = await ask(client, requester, target)  # a decline does not forbid asking again
    status, body = await act(client, requester, second, "cancel")
    assert (status, body["status"]) == (200, "cancelled")


async def test_lists_show_each_side_its_own_box(client: Client, sandbox: RunningSandbox) -> None:
    target, requester = await pair(client, sandbox)
    request_id = await ask(client, requester, target)
    incoming = await client.get("/api/profile-requests?box=incoming", headers=target.headers)
    outgoing = await client.get("/api/profile-requests?box=outgoing", headers=requester.headers)
    theirs = await client.get("/api/profile-requests?box=outgoing", headers=target.headers)
    assert [r["id"] for r in (await incoming.json())["items"]] == [request_id]
    assert [r["id"] for r in (await outgoing.json())["items"]] == [request_id]
    assert (await theirs.json())["items"] == []


async def test_pending_requests_expire_and_the_requester_hears_it(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    target, requester = await pair(client, sandbox)
    request_id = await ask(client, requester, target)
    await db.execute("UPDATE profile_requests SET expires_at = now() - interval '1 second'")
    assert await expire_profile_requests(db) == 1
    assert await expire_profile_requests(db) == 0
    assert await db.fetchval("SELECT status FROM profile_requests WHERE id = $1", request_id) == (
        "expired"
    )
    [note] = await wait_for_bot_messages(sandbox.control, requester.user_id)
    assert note["text"] == "Your request to see Olga's collection expired unanswered."


async def test_the_target_gets_a_push_with_buttons_and_approves_from_the_chat(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    target, requester = await pair(client, sandbox)
    request_id = await ask(client, requester, target)
    [push] = await wait_for_bot_messages(sandbox.control, target.user_id)
    assert push["text"] == "Alex asks to see your collection."
    assert [(b["text"], b["payload"]) for b in buttons(push)] == [
        ("Approve", encode("pa", request_id)),
        ("Decline", encode("pd", request_id)),
    ]
    await sandbox.control.press_button(target.user_id, push["mid"], encode("pa", request_id))
    edited = await wait_for_edit(sandbox, target.user_id, push["mid"])
    assert edited["text"] == "You opened your collection to Alex."
    assert buttons(edited) == []
    [news] = await wait_for_bot_messages(sandbox.control, requester.user_id)
    assert news["text"] == "Olga opened their collection to you."
    assert await db.fetchval("SELECT status FROM profile_requests") == "approved"
    # a second press (say, from another device that still shows the button) changes nothing
    sandbox.state.messages[push["mid"]].attachments = [keyboard_with(encode("pa", request_id))]
    await sandbox.control.press_button(target.user_id, push["mid"], encode("pa", request_id))
    assert await wait_for_notification(sandbox, target.user_id, 2) == (
        "This button is no longer valid."
    )
    assert len(await bot_messages(sandbox.control, requester.user_id)) == 1
