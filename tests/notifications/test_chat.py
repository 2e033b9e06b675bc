"""/settings in the chat: a button per kind showing its state; a press edits the message in
place, and the button says which state it asks for."""

from __future__ import annotations

import asyncpg

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import keyboard_with, wait_for_edit, wait_for_notification
from tests.notifications.conftest import DEFAULTS, Json, call, chat_person
from tests.webapp.helpers import ApiClient

STALE = "This button is no longer valid."
MENU = (
    "Notifications. Press a line to turn it on or off. What is off still shows in the "
    "mini-app's Inbox.\nA notice that your account was banned always arrives."
)


def labelled(message: Json) -> list[tuple[str, str]]:
    return [(b["text"], b["payload"]) for b in buttons(message)]


async def test_settings_shows_each_switch_and_a_press_edits_the_message(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await sandbox.control.send_text(alice.id, "/settings")
    menu = (await wait_for_bot_messages(sandbox.control, alice.id, 2))[-1]
    assert menu["text"] == MENU
    assert labelled(menu) == [
        ("🔔 Trades and their outcomes: on", encode("ns", "trades", 0)),
        ("🔔 Transfers: on", encode("ns", "transfers", 0)),
        ("🔔 Access requests: on", encode("ns", "requests", 0)),
        ("🔕 Favourites of my objects: off", encode("ns", "favorites", 1)),
        ("🔔 Moderation: on", encode("ns", "moderation", 0)),
    ]
    await sandbox.control.press_button(alice.id, menu["mid"], encode("ns", "trades", 0))
    assert await wait_for_notification(sandbox, alice.id) == "Off: Trades and their outcomes"
    edited = await wait_for_edit(sandbox, alice.id, menu["mid"])
    assert edited["text"] == MENU
    assert labelled(edited)[0] == ("🔕 Trades and their outcomes: off", encode("ns", "trades", 1))
    assert labelled(edited)[1:] == labelled(menu)[1:]
    assert len(await wait_for_bot_messages(sandbox.control, alice.id, 2)) == 2  # no new message
    assert await call(client, alice, "GET", "/me/notifications") == (
        200,
        {**DEFAULTS, "trades": False},
    )


async def test_an_old_button_asks_for_the_state_it_shows_not_a_toggle(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await sandbox.control.send_text(alice.id, "/settings")
    menu = (await wait_for_bot_messages(sandbox.control, alice.id, 2))[-1]
    turn_on = encode("ns", "favorites", 1)
    for count in (1, 2):  # the same button twice: on, and on again
        sandbox.state.messages[menu["mid"]].attachments = [keyboard_with(turn_on)]
        await sandbox.control.press_button(alice.id, menu["mid"], turn_on)
        assert await wait_for_notification(sandbox, alice.id, count) == (
            "On: Favourites of my objects"
        )
    assert await db.fetchval("SELECT favorites FROM notification_settings") is True


async def test_a_button_naming_no_switch_changes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    await sandbox.control.send_text(alice.id, "/settings")
    menu = (await wait_for_bot_messages(sandbox.control, alice.id, 2))[-1]
    for count, payload in enumerate(
        [encode("ns", "likes", 0), encode("ns", "trades", "maybe"), encode("ns", "trades")], 1
    ):
        sandbox.state.messages[menu["mid"]].attachments = [keyboard_with(payload)]
        await sandbox.control.press_button(alice.id, menu["mid"], payload)
        assert await wait_for_notification(sandbox, alice.id, count) == STALE
    assert await db.fetchval("SELECT count(*) FROM notification_settings") == 0
