"""Transfers in the chat, through the sandbox: the Transfer button's QR, a scan that only shows,
Accept / Decline / Cancel that replace their message, and the pushes to the other side."""

from __future__ import annotations

import io
from typing import Any

import asyncpg
import zxingcpp
from PIL import Image

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import bot_messages, buttons, settle, wait_for_bot_messages
from tests.bot.test_collection_chat import wait_for_edit, wait_for_notification
from tests.bot.test_photos_chat import image_of, jpeg
from tests.transfers.conftest import owner_of
from tests.webapp.helpers import ApiClient, login

Json = dict[str, Any]


async def chat_user(sandbox: RunningSandbox, name: str) -> int:
    user_id: int = (await sandbox.control.create_user(name, language_code="en"))["user"]["user_id"]
    return user_id


async def owner_with_card(sandbox: RunningSandbox, db: asyncpg.Connection) -> tuple[int, int, Json]:
    """Anna sends a photo; the object and its card."""
    anna = await chat_user(sandbox, "Anna")
    await sandbox.control.send_photos(anna, [jpeg(7)], caption="Harbour")
    [card] = await wait_for_bot_messages(sandbox.control, anna)
    object_id: int = await db.fetchval("SELECT id FROM art_objects")
    return anna, object_id, card


async def show_qr(sandbox: RunningSandbox, anna: int, card: Json, object_id: int) -> Json:
    """Press Transfer on the card; the QR message the bot sends."""
    await sandbox.control.press_button(anna, card["mid"], encode("tq", object_id))
    count = len(await wait_for_bot_messages(sandbox.control, anna)) + 1
    return (await wait_for_bot_messages(sandbox.control, anna, count))[-1]


def qr_link(sandbox: RunningSandbox, message: Json) -> str:
    token = image_of(message)["payload"]["token"]
    png = sandbox.state.media_by_token[token].data
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return str(barcode.text)


async def test_transfer_button_scan_accept_end_to_end(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_card(sandbox, db)
    assert [b["text"] for b in buttons(card)] == ["Open", "Rename", "Transfer", "Share"]
    qr = await show_qr(sandbox, anna, card, object_id)
    assert await wait_for_notification(sandbox, anna) == "Your QR code is ready"
    assert (
        qr["text"] == "«Harbour»: show this QR code to the receiver. It works once, for 10 minutes."
    )
    transfer_id: int = await db.fetchval("SELECT id FROM transfers")
    assert [(b["text"], b["payload"]) for b in buttons(qr)] == [
        ("Cancel the transfer", encode("tc", transfer_id))
    ]
    link = qr_link(sandbox, qr)
    bot = sandbox.state.config.bot_username
    assert link.startswith(f"https://max.ru/{bot}?start=t_")
    payload = link.partition("?start=")[2]
    # the PNG left the outbox with the message: no copy of the token stays behind
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE body ? 'image_png_b64'") == 0

    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.start_bot(bob, payload)
    [preview] = await wait_for_bot_messages(sandbox.control, bob)
    assert preview["text"] == "Anna is handing «Harbour» over to you. Accept it?"
    assert image_of(preview)["payload"]["url"].startswith(sandbox.base_url)
    accept, decline = buttons(preview)
    assert (accept["text"], decline["text"]) == ("Accept", "Decline")
    assert accept["payload"].startswith(f"1|ty|{transfer_id}|")
    assert payload[2:] not in accept["payload"] + decline["payload"]
    assert await owner_of(db, object_id) == anna
    assert await db.fetchval("SELECT status FROM transfers") == "pending"

    await sandbox.control.press_button(bob, preview["mid"], accept["payload"])
    done = await wait_for_edit(sandbox, bob, preview["mid"])
    assert done["text"] == "Done: «Harbour» is yours now."
    assert buttons(done) == []
    assert await wait_for_notification(sandbox, bob) == "Accepted"
    assert await owner_of(db, object_id) == bob
    told = (await wait_for_bot_messages(sandbox.control, anna, 3))[-1]
    assert told["text"] == "«Harbour» now belongs to Bob."


async def test_a_second_scan_and_the_owners_own_scan_say_so(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_card(sandbox, db)
    payload = qr_link(sandbox, await show_qr(sandbox, anna, card, object_id)).partition("=")[2]
    await sandbox.control.start_bot(anna, payload)
    own = (await wait_for_bot_messages(sandbox.control, anna, 3))[-1]
    assert own["text"] == "This is your own QR code for «Harbour»: the receiver scans it."
    assert buttons(own) == []

    bob, eve = await chat_user(sandbox, "Bob"), await chat_user(sandbox, "Eve")
    await sandbox.control.start_bot(bob, payload)
    await sandbox.control.start_bot(eve, payload)
    [bob_preview] = await wait_for_bot_messages(sandbox.control, bob)
    [eve_preview] = await wait_for_bot_messages(sandbox.control, eve)
    await sandbox.control.press_button(bob, bob_preview["mid"], buttons(bob_preview)[0]["payload"])
    await wait_for_edit(sandbox, bob, bob_preview["mid"])
    await sandbox.control.press_button(eve, eve_preview["mid"], buttons(eve_preview)[0]["payload"])
    refused = await wait_for_edit(sandbox, eve, eve_preview["mid"])
    assert refused["text"] == "This transfer has already been accepted."
    await sandbox.control.start_bot(eve, payload)
    again = (await wait_for_bot_messages(sandbox.control, eve, 2))[-1]
    assert again["text"] == "This transfer has already been accepted."
    assert await owner_of(db, object_id) == bob


async def test_cancel_replaces_the_qr_and_the_code_stops_working(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_card(sandbox, db)
    qr = await show_qr(sandbox, anna, card, object_id)
    payload = qr_link(sandbox, qr).partition("=")[2]
    await sandbox.control.press_button(anna, qr["mid"], buttons(qr)[0]["payload"])
    cancelled = await wait_for_edit(sandbox, anna, qr["mid"])
    assert (
        cancelled["text"] == "The transfer of «Harbour» is cancelled; its QR code no longer works."
    )
    assert cancelled["attachments"] in ([], None)
    assert await db.fetchval("SELECT status FROM transfers") == "cancelled"

    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.start_bot(bob, payload)
    [refused] = await wait_for_bot_messages(sandbox.control, bob)
    assert refused["text"] == "The owner cancelled this transfer."
    assert buttons(refused) == []


async def test_declining_a_scanned_qr_changes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_card(sandbox, db)
    payload = qr_link(sandbox, await show_qr(sandbox, anna, card, object_id)).partition("=")[2]
    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.start_bot(bob, payload)
    [preview] = await wait_for_bot_messages(sandbox.control, bob)
    await sandbox.control.press_button(bob, preview["mid"], buttons(preview)[1]["payload"])
    done = await wait_for_edit(sandbox, bob, preview["mid"])
    assert done["text"] == "You did not accept «Harbour». Nothing has changed."
    assert await db.fetchval("SELECT status FROM transfers") == "pending"
    assert await owner_of(db, object_id) == anna


async def test_a_forged_accept_button_or_a_bad_link_moves_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_card(sandbox, db)
    await show_qr(sandbox, anna, card, object_id)
    transfer_id: int = await db.fetchval("SELECT id FROM transfers")
    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.start_bot(bob, "t_" + "A" * 32)
    [refused] = await wait_for_bot_messages(sandbox.control, bob)
    assert refused["text"] == "This transfer is not valid."
    forged = encode("ty", transfer_id, "A" * 16)
    keyboard = {"type": "callback", "text": "Accept", "payload": forged}
    sandbox.state.messages[refused["mid"]].attachments = [
        {"type": "inline_keyboard", "callback_id": "cb", "payload": {"buttons": [[keyboard]]}}
    ]
    await sandbox.control.press_button(bob, refused["mid"], forged)
    assert await wait_for_notification(sandbox, bob) == "This transfer is not valid."
    assert await owner_of(db, object_id) == anna
    assert await db.fetchval("SELECT status FROM transfers") == "pending"
    assert len(await settle(sandbox.control, bob)) == 1


async def test_a_direct_transfer_arrives_with_the_image_and_is_answered_by_buttons(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, _ = await owner_with_card(sandbox, db)
    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.start_bot(bob)
    await wait_for_bot_messages(sandbox.control, bob)
    anna_api = await login(client, sandbox, user_id=anna)

    async def hand_over() -> Json:
        body = {"object_id": object_id, "to_user_id": bob}
        response = await client.post("/api/transfers", json=body, headers=anna_api.headers)
        assert response.status == 201
        count = len(await bot_messages(sandbox.control, bob)) + 1
        pushed = (await wait_for_bot_messages(sandbox.control, bob, count))[-1]
        assert pushed["text"] == "Anna wants to hand «Harbour» over to you. Accept it?"
        assert image_of(pushed)["payload"]["url"].startswith(sandbox.base_url)
        return pushed

    first = await hand_over()
    await sandbox.control.press_button(bob, first["mid"], buttons(first)[1]["payload"])
    assert (await wait_for_edit(sandbox, bob, first["mid"]))["text"] == "You declined «Harbour»."
    told = (await wait_for_bot_messages(sandbox.control, anna, 2))[-1]
    assert told["text"] == "Bob declined «Harbour»."
    assert await owner_of(db, object_id) == anna

    second = await hand_over()
    await sandbox.control.press_button(bob, second["mid"], buttons(second)[0]["payload"])
    done = await wait_for_edit(sandbox, bob, second["mid"])
    assert done["text"] == "Done: «Harbour» is yours now."
    assert await owner_of(db, object_id) == bob
    told = (await wait_for_bot_messages(sandbox.control, anna, 3))[-1]
    assert told["text"] == "«Harbour» now belongs to Bob."
