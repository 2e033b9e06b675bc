"""Profiles in the chat: the u_ link card, Request access, /privacy and /requests."""

from __future__ import annotations

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import wait_for_edit, wait_for_notification
from tests.bot.test_conversation import insert_object
from tests.profiles.conftest import ask, set_privacy
from tests.webapp.helpers import login

Client = TestClient[web.Request, web.Application]


async def test_profile_link_open_locked_and_private(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner = await login(client, sandbox, first_name="Olga", language_code="en")
    visitor = await login(client, sandbox, first_name="Sam", language_code="en")
    await insert_object(db, owner.user_id, "One")
    cards = []
    for n, privacy in enumerate(("public", "approved", "private"), start=1):
        await set_privacy(client, owner, privacy)
        await sandbox.control.start_bot(visitor.user_id, f"u_{owner.user_id}")
        cards.append((await wait_for_bot_messages(sandbox.control, visitor.user_id, n))[-1])
    public, locked, private = cards
    assert public["text"] == "Olga's collection: 1 owned, 1 created."
    assert [b["type"] for b in buttons(public)] == ["open_app"]
    assert locked["text"] == "Olga's collection is not public. You can ask for access."
    assert [(b["type"], b.get("payload")) for b in buttons(locked)] == [
        ("callback", encode("ra", owner.user_id)),
        ("open_app", f"u_{owner.user_id}"),
    ]
    assert private["text"] == "Olga's collection is private."

    await set_privacy(client, owner, "approved")
    await sandbox.control.press_button(visitor.user_id, locked["mid"], encode("ra", owner.user_id))
    assert await wait_for_notification(sandbox, visitor.user_id) == "Request sent"
    [push] = await wait_for_bot_messages(sandbox.control, owner.user_id)
    assert push["text"] == "Sam asks to see your collection."
    assert await db.fetchval("SELECT status FROM profile_requests") == "pending"


async def test_privacy_command_changes_the_setting_with_buttons(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await sandbox.control.send_text(me.user_id, "/privacy")
    [menu] = await wait_for_bot_messages(sandbox.control, me.user_id)
    assert menu["text"] == "Who sees your collection: everyone."
    assert [b["text"] for b in buttons(menu)] == ["everyone", "approved people only", "only me"]
    await sandbox.control.press_button(me.user_id, menu["mid"], encode("pv", "private"))
    edited = await wait_for_edit(sandbox, me.user_id, menu["mid"])
    assert edited["text"] == "Who sees your collection: only me."
    assert await db.fetchval("SELECT privacy FROM users WHERE id = $1", me.user_id) == "private"


async def test_requests_command_lists_pending_requests_with_buttons(
    client: Client, sandbox: RunningSandbox
) -> None:
    owner = await login(client, sandbox, first_name="Olga", language_code="en")
    alex = await login(client, sandbox, first_name="Alex", language_code="en")
    await sandbox.control.send_text(owner.user_id, "/requests")
    [none] = await wait_for_bot_messages(sandbox.control, owner.user_id)
    assert none["text"] == "No pending access requests."
    await set_privacy(client, owner, "approved")
    request_id = await ask(client, alex, owner)
    await wait_for_bot_messages(sandbox.control, owner.user_id, 2)  # the push about it
    await sandbox.control.send_text(owner.user_id, "/requests")
    listed = (await wait_for_bot_messages(sandbox.control, owner.user_id, 3))[-1]
    assert listed["text"] == "Alex asks to see your collection."
    assert [b["payload"] for b in buttons(listed)] == [
        encode("pa", request_id),
        encode("pd", request_id),
    ]
    await sandbox.control.press_button(owner.user_id, listed["mid"], encode("pd", request_id))
    edited = await wait_for_edit(sandbox, owner.user_id, listed["mid"])
    assert edited["text"] == "You declined Alex's request."
