"""Cards in the chat, through the sandbox: `?start=o_<id>` shows the card to whoever may see the
object, Share sends the card image to forward, a forward reaches the other person, and a refused
or broken link answers alike and changes nothing."""

from __future__ import annotations

import io
from typing import Any

import asyncpg
import zxingcpp
from PIL import Image

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages
from tests.bot.test_collection_chat import wait_for_notification
from tests.bot.test_photos_chat import image_of, jpeg
from tests.profiles.conftest import set_privacy
from tests.webapp.helpers import ApiClient, login

Json = dict[str, Any]
UNAVAILABLE = (
    "This object can't be shown: its collection is private, or the link is wrong. "
    "You can ask its owner for access."
)
BAD_LINK = "This link is not valid or has expired."
ASKED = "If the object exists and its owner takes requests, they have been asked."


async def chat_user(sandbox: RunningSandbox, name: str) -> int:
    user_id: int = (await sandbox.control.create_user(name, language_code="en"))["user"]["user_id"]
    return user_id


async def owner_with_object(
    sandbox: RunningSandbox, db: asyncpg.Connection
) -> tuple[int, int, Json]:
    anna = await chat_user(sandbox, "Anna")
    await sandbox.control.send_photos(anna, [jpeg(3)], caption="Harbour")
    [card] = await wait_for_bot_messages(sandbox.control, anna)
    object_id: int = await db.fetchval("SELECT id FROM art_objects")
    return anna, object_id, card


def card_link(sandbox: RunningSandbox, message: Json) -> str:
    token = image_of(message)["payload"]["token"]
    item = sandbox.state.media_by_token[token]
    assert item.content_type == "image/webp"
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(item.data)))
    return str(barcode.text)


async def next_message(sandbox: RunningSandbox, user_id: int) -> Json:
    before = await settle(sandbox.control, user_id)
    return (await wait_for_bot_messages(sandbox.control, user_id, len(before) + 1))[-1]


async def start_link(sandbox: RunningSandbox, user_id: int, payload: str) -> Json:
    before = await settle(sandbox.control, user_id)
    await sandbox.control.start_bot(user_id, payload)
    return (await wait_for_bot_messages(sandbox.control, user_id, len(before) + 1))[-1]


async def test_share_sends_the_card_image_to_forward(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_object(sandbox, db)
    assert [b["text"] for b in buttons(card)][-1] == "Share"
    await sandbox.control.press_button(anna, card["mid"], encode("sh", object_id))
    shared = (await wait_for_bot_messages(sandbox.control, anna, 2))[-1]
    bot = sandbox.state.config.bot_username
    assert shared["text"] == (
        f"«Harbour»: forward this card to anyone. Open it in MAX: https://max.ru/{bot}?start=o_{object_id}"
    )
    assert card_link(sandbox, shared) == f"https://max.ru/{bot}?startapp=o_{object_id}"
    assert await wait_for_notification(sandbox, anna) == "Your card is ready: forward it"


async def test_a_forwarded_card_reaches_the_other_person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, card = await owner_with_object(sandbox, db)
    await sandbox.control.press_button(anna, card["mid"], encode("sh", object_id))
    shared = (await wait_for_bot_messages(sandbox.control, anna, 2))[-1]
    bob = await chat_user(sandbox, "Bob")
    http = sandbox.control.http
    sent = await http.post(
        f"/_sandbox/users/{anna}/forward", json={"mid": shared["mid"], "to_user_id": bob}
    )
    assert sent.status_code == 200, sent.text
    listed = (await http.get(f"/_sandbox/users/{bob}/dialogs")).json()["dialogs"]
    [dialog] = listed
    assert dialog["with"]["user_id"] == anna
    [event] = dialog["events"]
    assert (event["sender_id"], event["text"], event["attachments"]) == (anna, None, None)
    link = event["link"]
    assert (link["type"], link["sender"]["user_id"]) == (
        "forward",
        sandbox.state.config.bot_user_id,
    )
    assert link["message"]["text"] == shared["text"]
    assert link["message"]["attachments"] == shared["attachments"]
    # Bob cannot forward what he never saw, nor to nobody
    stolen = await http.post(
        f"/_sandbox/users/{bob}/forward", json={"mid": card["mid"], "to_user_id": anna}
    )
    assert stolen.status_code == 404
    nobody = await http.post(
        f"/_sandbox/users/{anna}/forward", json={"mid": shared["mid"], "to_user_id": 1}
    )
    assert nobody.status_code == 400


async def test_object_link_shows_the_card_to_whoever_may_see_it(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, _ = await owner_with_object(sandbox, db)
    bot = sandbox.state.config.bot_username
    own = await start_link(sandbox, anna, f"o_{object_id}")
    assert own["text"] == "«Harbour» — owned by Anna."
    assert [b["text"] for b in buttons(own)] == ["Open", "Share"]
    assert card_link(sandbox, own) == f"https://max.ru/{bot}?startapp=o_{object_id}"
    bob = await chat_user(sandbox, "Bob")
    seen = await start_link(sandbox, bob, f"o_{object_id}")
    assert seen["text"] == "«Harbour» — owned by Anna."
    assert [b["text"] for b in buttons(seen)] == ["Open", "Share", "Report"]


async def test_a_stranger_on_a_closed_collection_may_ask_and_learns_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, _ = await owner_with_object(sandbox, db)
    await set_privacy(client, await login(client, sandbox, user_id=anna), "approved")
    sam = await chat_user(sandbox, "Sam")
    answers: list[str] = []
    for wanted in (object_id, object_id + 1000):  # closed, and none at all
        refused = await start_link(sandbox, sam, f"o_{wanted}")
        assert refused["text"] == UNAVAILABLE
        [ask] = buttons(refused)
        assert (ask["text"], ask["payload"]) == ("Request access", encode("oa", wanted))
        await sandbox.control.press_button(sam, refused["mid"], ask["payload"])
        answers.append(await wait_for_notification(sandbox, sam, len(answers) + 1))
    assert answers == [ASKED, ASKED]
    requests = await db.fetch("SELECT requester_id, target_id, status FROM profile_requests")
    assert [tuple(r) for r in requests] == [(sam, anna, "pending")]
    assert await db.fetchval("SELECT count(*) FROM provenance_cards") == 0  # nothing drawn


async def test_private_collection_refuses_alike_and_asks_nobody(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, _ = await owner_with_object(sandbox, db)
    await set_privacy(client, await login(client, sandbox, user_id=anna), "private")
    sam = await chat_user(sandbox, "Sam")
    refused = await start_link(sandbox, sam, f"o_{object_id}")
    assert refused["text"] == UNAVAILABLE
    await sandbox.control.press_button(sam, refused["mid"], encode("oa", object_id))
    assert await wait_for_notification(sandbox, sam) == ASKED
    assert await db.fetchval("SELECT count(*) FROM profile_requests") == 0
    own = await start_link(sandbox, anna, f"o_{object_id}")  # the owner still sees it
    assert own["text"] == "«Harbour» — owned by Anna."


async def test_bad_object_links_get_a_polite_word_and_change_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, object_id, _ = await owner_with_object(sandbox, db)
    sam = await chat_user(sandbox, "Sam")
    for payload in ("o_abc", "o_-1", "o_0", "o_99999999999999999999", "o_", f"o_{object_id}x"):
        answer = await start_link(sandbox, sam, payload)
        assert (answer["text"], buttons(answer)) == (BAD_LINK, []), payload
    for payload in (encode("sh", 99999999999999999999), "1|sh|abc", encode("oa", -1)):
        before = await settle(sandbox.control, anna)
        shared = await sandbox.control.http.post(
            f"/_sandbox/users/{anna}/press", json={"mid": before[0]["mid"], "payload": payload}
        )
        assert shared.status_code == 404  # no such button on the card: MAX would not send it
    assert await db.fetchval("SELECT count(*) FROM provenance_cards") == 0
    assert await db.fetchval("SELECT count(*) FROM profile_requests") == 0
