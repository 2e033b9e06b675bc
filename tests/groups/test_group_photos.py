"""Photos posted in a group become objects only when their sender asks (a reply with /add, or
the button under the bot's prompt), once, however many asks race; anyone else is refused."""

from __future__ import annotations

import asyncio

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages
from tests.groups.helpers import (
    BOT,
    JsonDict,
    group_with_bot,
    jpeg,
    person,
    settle_group,
    texts,
    wait_for_group_messages,
)

Client = TestClient[web.Request, web.Application]


async def objects(db: asyncpg.Connection) -> list[tuple[str, int, int]]:
    rows = await db.fetch("SELECT title, owner_id, creator_id FROM art_objects ORDER BY id")
    return [tuple(r) for r in rows]


async def test_a_photo_posted_in_a_group_is_not_an_object(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    await sandbox.control.send_group_photos(chat_id, ann, [jpeg(10)], caption="Sunset")
    await sandbox.control.send_group_text(chat_id, ann, "nice, isn't it?")
    assert len(await settle_group(sandbox.control, chat_id)) == 1  # the hello only
    assert await objects(db) == []
    assert len(await settle(sandbox.control, ann)) == 1  # the greeting of /start only


async def test_the_senders_reply_with_add_makes_it_their_object(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob")
    chat_id = await group_with_bot(sandbox, ann, bob)
    photo = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(11)], caption="Sunset")
    await sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=photo["mid"])
    said = (await wait_for_group_messages(sandbox.control, chat_id, 2))[-1]
    assert said["text"] == "«Sunset» is now in Ann's gallery."
    assert said["link"]["message"]["mid"] != photo["mid"]  # it answers the /add reply
    assert await objects(db) == [("Sunset", ann, ann)]
    card = (await wait_for_bot_messages(sandbox.control, ann, 2))[-1]
    assert card["text"] == "«Sunset» is now your art object."
    # the owner's card (its buttons are the card's own business: bot/cards.py)
    assert {"Open", "Rename", "Transfer"} <= {b["text"] for b in buttons(card)}
    assert [a["type"] for a in card["attachments"]] == ["image", "inline_keyboard"]
    # a title given with the command wins over the caption
    other = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(12)], caption="x")
    await sandbox.control.send_group_text(chat_id, ann, f"@{BOT} add Dunes at noon",
                                          reply_to=other["mid"])  # fmt: skip
    said = (await wait_for_group_messages(sandbox.control, chat_id, 3))[-1]
    assert said["text"] == "«Dunes at noon» is now in Ann's gallery."
    assert await settle(sandbox.control, bob) == (await wait_for_bot_messages(
        sandbox.control, bob))  # Bob heard nothing but his own greeting  # fmt: skip


async def test_another_members_reply_is_refused_without_a_word_about_the_photo(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob")
    chat_id = await group_with_bot(sandbox, ann, bob)
    photo = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(13)], caption="Sunset")
    await sandbox.control.send_group_text(chat_id, bob, f"/add@{BOT} Mine", reply_to=photo["mid"])
    said = await settle_group(sandbox.control, chat_id)
    assert texts(said[1:]) == [
        "Bob, only the person who posted a photo can add it to their gallery."
    ]
    assert await objects(db) == []
    assert await db.fetchval("SELECT count(*) FROM group_photo_claims") == 0
    # the sender still can, afterwards
    await sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=photo["mid"])
    added = (await wait_for_group_messages(sandbox.control, chat_id, 3))[-1]
    assert added["text"] == "«Sunset» is now in Ann's gallery."


async def test_add_without_a_photo_explains_itself(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    words = await sandbox.control.send_group_text(chat_id, ann, "just words")
    await sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=words["mid"])
    await sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}")
    said = (await wait_for_group_messages(sandbox.control, chat_id, 3))[1:]
    hint = f"Ann, reply to your own photo with /add@{BOT} and I will add it to your gallery."
    assert texts(said) == [hint, hint]
    assert await objects(db) == []


async def test_a_race_of_replies_makes_one_object(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    photo = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(14)], caption="Race")
    await asyncio.gather(*(
        sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=photo["mid"])
        for _ in range(6)
    ))  # fmt: skip
    await wait_for_group_messages(sandbox.control, chat_id, 7)
    said = texts((await settle_group(sandbox.control, chat_id))[1:])
    assert sorted(said) == sorted(
        ["«Race» is now in Ann's gallery."] + ["Ann, this photo has been added already."] * 5
    )
    assert await objects(db) == [("Race", ann, ann)]
    claims = await db.fetch("SELECT user_id, object_id IS NOT NULL AS made FROM group_photo_claims")
    assert [tuple(r) for r in claims] == [(ann, True)]


async def prompt_for(sandbox: RunningSandbox, chat_id: int, ann: int, seed: int) -> JsonDict:
    photo = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(seed)],
                                                    caption=f"@{BOT} look")  # fmt: skip
    prompt = (await wait_for_group_messages(sandbox.control, chat_id, 2))[-1]
    assert prompt["text"] == "Ann, shall I put this photo in your gallery?"
    assert prompt["link"]["message"]["mid"] == photo["mid"]
    assert [(b["text"], b["payload"]) for b in buttons(prompt)] == [
        ("Add to my gallery", encode("ga"))
    ]
    return prompt


async def test_the_prompts_button_pressed_by_someone_else_is_refused_privately(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob")
    chat_id = await group_with_bot(sandbox, ann, bob)
    prompt = await prompt_for(sandbox, chat_id, ann, 15)
    await sandbox.control.press_group_button(chat_id, bob, prompt["mid"], encode("ga"))
    await asyncio.sleep(1.5)
    events = await sandbox.control.chat_messages(chat_id=chat_id)
    toasts = [e["text"] for e in events if e["kind"] == "notification"]
    assert toasts == ["Only the person who posted the photo can add it."]
    assert len(await settle_group(sandbox.control, chat_id)) == 2  # hello and prompt, unchanged
    assert await objects(db) == []


async def test_a_race_of_presses_by_the_sender_makes_one_object(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    prompt = await prompt_for(sandbox, chat_id, ann, 16)
    await asyncio.gather(*(
        sandbox.control.press_group_button(chat_id, ann, prompt["mid"], encode("ga"))
        for _ in range(5)
    ))  # fmt: skip
    await asyncio.sleep(2.0)
    [(title, owner, creator)] = await objects(db)
    assert (owner, creator) == (ann, ann)
    events = await sandbox.control.chat_messages(chat_id=chat_id)
    replaced = next(e for e in events if e.get("mid") == prompt["mid"])
    assert replaced["text"] == f"«{title}» is now in Ann's gallery."
    assert replaced["keyboard"] is None
    toasts = [e["text"] for e in events if e["kind"] == "notification"]
    assert toasts.count("Added") == 1
    assert set(toasts) <= {"Added", "Added already"}  # a press within one ms is a redelivery


async def test_someone_elses_photo_reposted_is_refused_without_its_title(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """Bob posts a copy of Ann's private object and asks: the refusal, said in front of the
    group, names no title, not even to Bob."""
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob")
    await sandbox.control.send_photos(ann, [jpeg(17)], caption="Private dawn")
    await wait_for_bot_messages(sandbox.control, ann, 2)
    await db.execute("UPDATE users SET privacy = 'private' WHERE id = $1", ann)
    chat_id = await group_with_bot(sandbox, ann, bob)
    copy = await sandbox.control.send_group_photos(chat_id, bob, [jpeg(17)], caption="Mine")
    await sandbox.control.send_group_text(chat_id, bob, f"/add@{BOT}", reply_to=copy["mid"])
    said = (await wait_for_group_messages(sandbox.control, chat_id, 2))[-1]
    assert said["text"] == "Bob, I could not add that photo: it is already in the gallery."
    assert "Private dawn" not in str(await sandbox.control.chat_messages(chat_id=chat_id))
    assert await objects(db) == [("Private dawn", ann, ann)]
    assert await db.fetchval("SELECT count(*) FROM group_photo_claims") == 0
