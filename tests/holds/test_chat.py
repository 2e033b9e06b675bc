"""The hold in the chat, through the sandbox: the Transfer button on a held object's card is
refused with the hold and its end, and an accept in chat says when what was received frees."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import asyncpg

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import wait_for_edit, wait_for_notification
from tests.holds.conftest import HOLD_HOURS, received_at, turn_clock
from tests.trades.conftest import accept, made, person
from tests.trades.test_chat import chat_person, press, trade_push
from tests.transfers.test_chat import chat_user, owner_with_card, qr_link, show_qr
from tests.webapp.helpers import ApiClient

RECEIVED = re.compile(
    r"What you received can be traded or transferred again in (24 h 0 min|23 h 59 min) "
    r"\(at (\d{4}-\d\d-\d\d \d\d:\d\d) UTC\)\."
)


def minute(at: datetime) -> str:
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M}"


async def test_accepting_in_the_chat_says_when_the_hold_ends(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
    message = await trade_push(sandbox, bob)
    before = datetime.now(UTC) + timedelta(hours=HOLD_HOURS)
    await press(sandbox, bob, message, encode("ta", trade["id"], 1))
    edited = await wait_for_edit(sandbox, bob.id, message["mid"])
    after = datetime.now(UTC) + timedelta(hours=HOLD_HOURS)
    accepted, hold = edited["text"].split("\n")
    assert accepted == "You accepted the trade with Alice: you gave «Bob 1» and got «Alice 1»."
    found = RECEIVED.fullmatch(hold)
    assert found is not None, hold
    assert found[2] in {minute(before), minute(after)}


async def test_the_transfer_button_of_a_held_object_names_the_hold(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """Anna's photo goes to Bob and, once his hold ends, back to her: her old card's Transfer
    button is refused until her own hold ends, and then it works."""
    anna_id, harbour, card = await owner_with_card(sandbox, db)
    anna = await person(client, sandbox, db, "Anna", objects=0, user_id=anna_id)
    bob = await person(client, sandbox, db, "Bob")
    there = await made(client, anna, bob, [harbour], [])
    assert (await accept(client, bob, there))[0] == 200
    await turn_clock(db, harbour, timedelta(hours=HOLD_HOURS))
    back = await made(client, bob, anna, [harbour], [])
    assert (await accept(client, anna, back))[0] == 200
    at = await received_at(db, harbour)
    assert at is not None
    until = minute(at + timedelta(hours=HOLD_HOURS))

    await sandbox.control.press_button(anna_id, card["mid"], encode("tq", harbour))
    assert await wait_for_notification(sandbox, anna_id) == (
        f"«Harbour» changed hands recently and is on hold until {until} UTC (24 h 0 min left): "
        "it cannot be traded or transferred until then."
    )
    assert await db.fetchval("SELECT count(*) FROM transfers") == 0

    await turn_clock(db, harbour, timedelta(hours=HOLD_HOURS))
    messages = len(await wait_for_bot_messages(sandbox.control, anna_id))
    await sandbox.control.press_button(anna_id, card["mid"], encode("tq", harbour))
    assert await wait_for_notification(sandbox, anna_id, 2) == "Your QR code is ready"
    qr = (await wait_for_bot_messages(sandbox.control, anna_id, messages + 1))[-1]
    assert qr["text"].startswith("«Harbour»: show this QR code")
    assert [b["text"] for b in buttons(qr)] == ["Cancel the transfer"]


async def test_claiming_a_qr_in_the_chat_says_when_the_hold_ends(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, harbour, card = await owner_with_card(sandbox, db)
    link = qr_link(sandbox, await show_qr(sandbox, anna, card, harbour))
    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.start_bot(bob, link.partition("?start=")[2])
    [preview] = await wait_for_bot_messages(sandbox.control, bob)
    accept_button = buttons(preview)[0]
    await sandbox.control.press_button(bob, preview["mid"], accept_button["payload"])
    done, hold = (await wait_for_edit(sandbox, bob, preview["mid"]))["text"].split("\n")
    assert done == "Done: «Harbour» is yours now."
    assert RECEIVED.fullmatch(hold) is not None, hold
    assert await received_at(db, harbour) is not None


async def test_the_object_card_in_the_chat_carries_the_hold(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """`?start=o_<id>` shows the card (bot/handlers/share.py) with the time left, to the owner
    and to anyone else who may see it, and without that line once the hold ends."""
    alice = await chat_person(client, sandbox, db, "Alice")
    bob = await chat_person(client, sandbox, db, "Bob")
    trade = await made(client, alice, bob, [alice.objects[0]], [])
    assert (await accept(client, bob, trade))[0] == 200
    until = await turn_clock(db, alice.objects[0], timedelta(hours=18, minutes=48))
    # her /start answer and the accept's push, then the card
    seen = len(await wait_for_bot_messages(sandbox.control, alice.id, 2))
    await sandbox.control.start_bot(alice.id, f"o_{alice.objects[0]}")
    card = (await wait_for_bot_messages(sandbox.control, alice.id, seen + 1))[-1]
    assert card["text"] == (
        "«Alice 1» — owned by Bob.\n"
        f"On hold for 5 h 12 min more (until {minute(until)} UTC): it cannot be traded or "
        "transferred yet."
    )
    await turn_clock(db, alice.objects[0], timedelta(hours=HOLD_HOURS))
    await sandbox.control.start_bot(alice.id, f"o_{alice.objects[0]}")
    card = (await wait_for_bot_messages(sandbox.control, alice.id, seen + 2))[-1]
    assert card["text"] == "«Alice 1» — owned by Bob."
