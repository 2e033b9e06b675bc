"""The trade push in the sandbox chat: both sides, Accept / Decline / Open, and their presses."""

from __future__ import annotations

import asyncpg

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages
from tests.bot.test_collection_chat import (
    keyboard_with,
    started_user,
    wait_for_edit,
    wait_for_notification,
)
from tests.trades.conftest import Json, Person, act, made, owners, person
from tests.webapp.helpers import ApiClient


async def chat_person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, name: str
) -> Person:
    """Someone who started the bot (so pushes reach their dialog) and opened the mini-app."""
    user_id = await started_user(sandbox, name)
    return await person(client, sandbox, db, name, user_id=user_id)


async def trade_push(sandbox: RunningSandbox, who: Person, count: int = 2) -> Json:
    return (await wait_for_bot_messages(sandbox.control, who.id, count, wait_s=15))[-1]


async def press(sandbox: RunningSandbox, who: Person, message: Json, payload: str) -> None:
    """The sandbox presses only buttons the message holds: put one back for a second press."""
    if payload not in [b.get("payload") for b in buttons(message)]:
        sandbox.state.messages[message["mid"]].attachments = [keyboard_with(payload)]
    await sandbox.control.press_button(who.id, message["mid"], payload)


async def test_the_trade_arrives_with_both_sides_and_three_buttons(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0], bob.objects[1]])
    message = await trade_push(sandbox, bob)
    assert message["text"] == (
        "Alice offers you a trade.\nYou give: «Bob 1», «Bob 2»\nYou get: «Alice 1»"
    )
    assert [(b["type"], b["text"], b.get("payload")) for b in buttons(message)] == [
        ("callback", "Accept", encode("ta", trade["id"], 1)),
        ("callback", "Decline", encode("td", trade["id"], 1)),
        ("open_app", "Open", f"tr_{trade['id']}"),
    ]


async def test_accept_in_the_chat_moves_and_a_second_press_changes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    message = await trade_push(sandbox, bob)
    await press(sandbox, bob, message, encode("ta", trade["id"], 1))
    edited = await wait_for_edit(sandbox, bob.id, message["mid"])
    assert edited["text"] == (
        "You accepted the trade with Alice: you gave «Bob 1» and got «Alice 1»."
    )
    assert buttons(edited) == []
    assert await wait_for_notification(sandbox, bob.id) == "Trade done"
    after_accept = {alice.objects[0]: bob.id, bob.objects[0]: alice.id}
    assert {k: v for k, v in (await owners(db)).items() if k in after_accept} == after_accept
    told = await trade_push(sandbox, alice)
    assert told["text"] == "Bob accepted your trade: you gave «Alice 1» and got «Bob 1»."

    await press(sandbox, bob, edited, encode("ta", trade["id"], 1))
    assert await wait_for_notification(sandbox, bob.id, 2) == "This trade is no longer valid."
    assert {k: v for k, v in (await owners(db)).items() if k in after_accept} == after_accept
    assert await db.fetchval("SELECT count(*) FROM ownership_history WHERE reason = 'trade'") == 2
    assert len(await settle(sandbox.control, alice.id)) == 2


async def test_decline_in_the_chat_and_a_press_after_a_cancel(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    declined = await made(client, alice, bob, [alice.objects[0]], [])
    message = await trade_push(sandbox, bob)
    await press(sandbox, bob, message, encode("td", declined["id"], 1))
    edited = await wait_for_edit(sandbox, bob.id, message["mid"])
    assert (edited["text"], buttons(edited)) == ("You declined the trade with Alice.", [])
    assert (await trade_push(sandbox, alice))["text"] == "Bob declined your trade."

    cancelled = await made(client, alice, bob, [alice.objects[1]], [])
    second = await trade_push(sandbox, bob, 3)
    assert (await act(client, alice, cancelled["id"], "cancel"))[0] == 200
    await press(sandbox, bob, second, encode("ta", cancelled["id"], 1))
    stale = await wait_for_edit(sandbox, bob.id, second["mid"])
    assert (stale["text"], buttons(stale)) == ("This trade is no longer valid.", [])
    assert await wait_for_notification(sandbox, bob.id, 2) == "This trade is no longer valid."
    assert (await owners(db))[alice.objects[1]] == alice.id


async def test_a_button_of_an_older_version_is_refused(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    message = await trade_push(sandbox, bob)
    await press(sandbox, bob, message, encode("ta", trade["id"], 0))
    assert await wait_for_notification(sandbox, bob.id) == "This trade is no longer valid."
    assert await db.fetchval("SELECT status FROM trades") == "pending"
    # the proposer with the recipient's button (put on a message of hers) changes nothing either
    greeting = (await wait_for_bot_messages(sandbox.control, alice.id))[0]
    await press(sandbox, alice, greeting, encode("ta", trade["id"], 1))
    assert await wait_for_notification(sandbox, alice.id) == "This trade is no longer valid."
    assert await db.fetchval("SELECT status FROM trades") == "pending"
