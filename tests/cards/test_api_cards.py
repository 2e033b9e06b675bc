"""GET /api/objects/{id}/card: the card image decoded back, drawn once per change, and only for
whoever may see the object."""

from __future__ import annotations

import asyncio

import asyncpg

from sandbox.runner import RunningSandbox
from server.keys import MEDIA_STORE
from storage.cards import card_owners
from tests.bot.helpers import wait_for_bot_messages
from tests.cards.helpers import card_image, card_of, hand_over, qr_text, stored_cards, uploaded
from tests.profiles.conftest import set_privacy
from tests.webapp.helpers import ApiClient, LoggedIn


async def test_card_shows_a_qr_of_the_objects_deep_link(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, anna: LoggedIn
) -> None:
    object_id = await uploaded(client, anna, "Закат над Невой")
    status, card = await card_of(client, object_id, anna)
    bot = sandbox.state.config.bot_username
    assert status == 200, card
    assert set(card) == {"url", "version", "app_link", "chat_link"}
    assert card["version"] == 1
    assert card["app_link"] == f"https://max.ru/{bot}?startapp=o_{object_id}"
    assert card["chat_link"] == f"https://max.ru/{bot}?start=o_{object_id}"
    assert card["url"].startswith("/media/")
    image = await card_image(client, card["url"])
    assert image.width == 900
    assert qr_text(image) == card["app_link"]
    [stored] = await stored_cards(db, object_id)
    assert (stored["language"], stored["version"]) == ("ru", 1)


async def test_card_is_drawn_again_after_a_transfer_and_not_otherwise(
    client: ApiClient, db: asyncpg.Connection, anna: LoggedIn, bob: LoggedIn
) -> None:
    object_id = await uploaded(client, anna, "Harbour")
    _, first = await card_of(client, object_id, bob)
    [drawn] = await stored_cards(db, object_id)
    _, again = await card_of(client, object_id, bob)
    assert again == first
    assert await stored_cards(db, object_id) == [drawn]  # not drawn again

    await hand_over(client, anna, bob, object_id)
    _, moved = await card_of(client, object_id, bob)
    [redrawn] = await stored_cards(db, object_id)
    assert moved["version"] == 2
    assert redrawn["version"] == 2
    assert redrawn["storage_key"] != drawn["storage_key"]
    assert redrawn["rendered_at"] > drawn["rendered_at"]
    assert moved["url"] != first["url"]
    assert qr_text(await card_image(client, moved["url"])) == first["app_link"]
    old = await client.get(first["url"])  # the old card went when the new one came
    assert old.status == 404


async def test_a_card_needs_what_the_object_needs(
    client: ApiClient, anna: LoggedIn, bob: LoggedIn
) -> None:
    object_id = await uploaded(client, anna, "Private")
    await set_privacy(client, anna, "private")
    for who in (bob, None):
        for asked in (object_id, object_id + 1000):  # a hidden object and no object alike
            status, body = await card_of(client, asked, who)
            assert (status, body) == (
                404, {"error": "not_found", "detail": f"art object {asked} does not exist"}
            )  # fmt: skip
    status, own = await card_of(client, object_id, anna)
    assert status == 200, own


async def test_bad_ids_and_languages_are_refused(client: ApiClient, anna: LoggedIn) -> None:
    object_id = await uploaded(client, anna, "Fine")
    for path in ("abc", "-1", "99999999999999999999", "0"):
        response = await client.get(f"/api/objects/{path}/card", headers=anna.headers)
        assert response.status in (400, 404), path
    response = await client.get(f"/api/objects/{object_id}/card?lang=xx", headers=anna.headers)
    assert response.status == 400


async def test_card_is_drawn_again_after_a_trade_with_the_new_owner_in_its_chain(
    client: ApiClient, db: asyncpg.Connection, anna: LoggedIn, bob: LoggedIn
) -> None:
    mine, theirs = await uploaded(client, anna, "Маяк", 1), await uploaded(client, bob, "Reef", 2)
    await card_of(client, mine, bob)
    [drawn] = await stored_cards(db, mine)
    offer = {"recipient_id": bob.user_id, "give": [mine], "take": [theirs], "message": ""}
    offered = await client.post("/api/trades", json=offer, headers=anna.headers)
    trade = await offered.json()
    assert offered.status == 201, trade
    accepted = await client.post(
        f"/api/trades/{trade['id']}/accept", json={"version": trade["version"]}, headers=bob.headers
    )
    assert accepted.status == 200, await accepted.json()
    _, after = await card_of(client, mine, bob)
    [redrawn] = await stored_cards(db, mine)
    assert (after["version"], redrawn["version"]) == (2, 2)
    assert redrawn["storage_key"] != drawn["storage_key"]
    owners = [(o.name, o.reason) for o in await card_owners(db, mine)]
    assert owners == [("Анна", "created"), ("Bob", "trade")]  # what the new card draws


async def test_racing_requests_draw_one_card(
    client: ApiClient, db: asyncpg.Connection, anna: LoggedIn, bob: LoggedIn
) -> None:
    object_id = await uploaded(client, anna, "Harbour")
    answers = await asyncio.gather(*(card_of(client, object_id, bob) for _ in range(8)))
    assert {status for status, _ in answers} == {200}
    assert len({body["url"] for _, body in answers}) == 1
    [stored] = await stored_cards(db, object_id)
    assert stored["version"] == 1


async def test_a_card_whose_file_went_missing_is_drawn_again(
    client: ApiClient, db: asyncpg.Connection, anna: LoggedIn
) -> None:
    """A backup restored without cards, or a file swept: the row alone must not hand out a
    link to nothing."""
    object_id = await uploaded(client, anna, "Harbour")
    _, card = await card_of(client, object_id, anna)
    [stored] = await stored_cards(db, object_id)
    store = client.app[MEDIA_STORE]
    await store.delete([stored["storage_key"]])
    assert (await client.get(card["url"])).status == 404
    _, again = await card_of(client, object_id, anna)
    assert again == card
    assert (await client.get(again["url"])).status == 200
    [redrawn] = await stored_cards(db, object_id)
    assert redrawn["rendered_at"] > stored["rendered_at"]


async def test_the_bot_sends_my_card_to_my_chat_and_tells_me_its_mid(
    client: ApiClient, sandbox: RunningSandbox, anna: LoggedIn, bob: LoggedIn
) -> None:
    object_id = await uploaded(client, anna, "Harbour")
    path = f"/api/objects/{object_id}/card/messages"
    refused = await client.post(path, headers=bob.headers)  # Bob never opened the bot's chat
    assert (refused.status, (await refused.json())["error"]) == (409, "bot_unreachable")
    await sandbox.control.start_bot(bob.user_id)
    await wait_for_bot_messages(sandbox.control, bob.user_id)  # the greeting: the chat is known
    sent = await client.post(path, headers=bob.headers)
    queued = await sent.json()
    assert (sent.status, queued["mid"]) == (202, None)
    mid = None
    for _ in range(100):
        state = await client.get(f"{path}/{queued['message_id']}", headers=bob.headers)
        mid = (await state.json())["mid"]
        if mid is not None:
            break
        await asyncio.sleep(0.05)
    assert mid is not None
    card = sandbox.state.messages[mid]
    assert card.chat_id == sandbox.state.users[bob.user_id].chat_id
    assert card.text == f"https://max.ru/{sandbox.state.config.bot_username}?startapp=o_{object_id}"
    theirs = await client.get(f"{path}/{queued['message_id']}", headers=anna.headers)
    assert (theirs.status, await theirs.json()) == (404, {  # not hers: as if there were none
        "error": "not_found", "detail": f"card message {queued['message_id']} does not exist",
    })  # fmt: skip
    other = f"/api/objects/{object_id + 1}/card/messages/{queued['message_id']}"
    elsewhere = await client.get(other, headers=bob.headers)  # not this object's card
    assert elsewhere.status == 404
    await set_privacy(client, anna, "private")
    hidden = await client.post(path, headers=bob.headers)
    assert hidden.status == 404
