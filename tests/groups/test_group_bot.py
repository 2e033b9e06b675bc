"""The bot in a group chat, through the sandbox over real HTTP: a hello when added, silence for
chatter, answers to what is addressed to it, private things in the personal chat."""

from __future__ import annotations

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages
from tests.bot.test_conversation import insert_object
from tests.groups.helpers import (
    BOT,
    group_bot_messages,
    group_with_bot,
    jpeg,
    person,
    settle_group,
    texts,
    wait_for_group_messages,
)

Client = TestClient[web.Request, web.Application]
HELLO = (
    "Hello, everyone! I keep photo galleries. Reply to your own photo with "
    f"/add@{BOT} and it becomes an object in your gallery. More: /help@{BOT}"
)
HELP = (
    "Here I answer only what is addressed to me.\n"
    f"/add@{BOT} as a reply to your own photo (a title may follow) puts it in your gallery.\n"
    f"/my@{BOT}: I send your objects to our personal chat.\n"
    f"/gallery@{BOT} opens the gallery.\n"
    "Everything else works in our personal chat."
)


async def dialog_of(sandbox: RunningSandbox, user_id: int) -> int:
    listed = (await sandbox.control.http.get("/_sandbox/users")).json()["users"]
    chat_id: int = next(u["chat_id"] for u in listed if u["user"]["user_id"] == user_id)
    return chat_id


async def test_added_to_a_group_the_bot_says_a_short_hello(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    assert texts(await settle_group(sandbox.control, chat_id)) == [HELLO]
    row = await db.fetchrow("SELECT added_by, removed_at FROM group_chats WHERE chat_id = $1",
                            chat_id)  # fmt: skip
    assert row is not None
    assert dict(row) == {"added_by": ann, "removed_at": None}


async def test_chatter_and_other_bots_commands_are_ignored(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob", started=False)
    chat_id = await group_with_bot(sandbox, ann, bob)
    control = sandbox.control
    for text in ("hello all", "/nosuchcommand", f"/nosuchcommand@{BOT}", "/help@other_bot",
                 "mail me at bob@gallery_sandbox_bot.org", "/my@other_bot"):  # fmt: skip
        await control.send_group_text(chat_id, bob, text)
    await control.send_group_photos(chat_id, bob, [jpeg(1)], caption="my cat")
    assert texts(await settle_group(control, chat_id)) == [HELLO]
    # chatter never reached the database: Bob, who only talked, is not even a user
    assert await db.fetchval("SELECT count(*) FROM users WHERE id = $1", bob) == 0
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0


async def test_commands_and_mentions_addressed_to_the_bot_are_answered(
    client: Client, sandbox: RunningSandbox
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    control = sandbox.control
    asks = [f"/help@{BOT}", "/help", f"@{BOT}", f"hey @{BOT} what can you do?", f"/start@{BOT}"]
    for count, text in enumerate(asks, start=2):
        await control.send_group_text(chat_id, ann, text)
        await wait_for_group_messages(control, chat_id, count)
    await control.send_group_text(chat_id, ann, f"@{BOT} gallery")
    gallery = (await wait_for_group_messages(control, chat_id, 7))[-1]
    await control.send_group_text(chat_id, ann, f"/privacy@{BOT}")
    private = (await wait_for_group_messages(control, chat_id, 8))[-1]
    said = await settle_group(control, chat_id)
    assert texts(said[1:6]) == [HELP] * 5
    assert gallery["text"] == "The gallery opens in the mini-app:"
    assert [b["type"] for b in buttons(gallery)] == ["open_app"]
    assert private["text"] == "Ann, that works in our personal chat:"
    assert [(b["type"], b["url"]) for b in buttons(private)] == [
        ("link", f"https://max.ru/{BOT}?start=group")
    ]
    assert len(said) == 8


async def test_my_in_a_group_goes_to_the_personal_chat(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    await insert_object(db, ann, "Harbour")
    chat_id = await group_with_bot(sandbox, ann)
    await sandbox.control.send_group_text(chat_id, ann, f"/my@{BOT}")
    said = (await wait_for_group_messages(sandbox.control, chat_id, 2))[-1]
    assert said["text"] == "Ann, I've sent it to you privately."
    private = (await wait_for_bot_messages(sandbox.control, ann, 2))[-1]
    assert private["text"].split("\n")[0] == "Your objects (1), page 1 of 1:"
    assert "Harbour" in private["text"]
    assert "Harbour" not in str(await group_bot_messages(sandbox.control, chat_id))


async def test_my_without_a_personal_chat_links_to_start_one(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob", started=False)
    chat_id = await group_with_bot(sandbox, ann, bob)
    await sandbox.control.send_group_text(chat_id, bob, f"@{BOT} my")
    said = (await wait_for_group_messages(sandbox.control, chat_id, 2))[-1]
    # a group brings no locale and Bob never opened his chat: the default language, Russian
    assert said["text"] == "Bob, сначала начните со мной личный чат, потом спросите снова:"
    assert [(b["type"], b["url"]) for b in buttons(said)] == [
        ("link", f"https://max.ru/{BOT}?start=my")
    ]
    assert await db.fetchval("SELECT dialog_chat_id FROM users WHERE id = $1", bob) is None
    assert await sandbox.control.chat_messages(user_id=bob) == []


async def test_a_group_id_never_becomes_anyones_personal_chat(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """Pushes for a group member still go to their own dialog, whatever they did in groups."""
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob", started=False)
    chat_id = await group_with_bot(sandbox, ann, bob)
    ann_dialog = await dialog_of(sandbox, ann)
    photo = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(2)], caption="Dunes")
    for text in (f"/help@{BOT}", f"/add@{BOT}"):
        await sandbox.control.send_group_text(chat_id, bob, text, reply_to=photo["mid"])
    await sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=photo["mid"])
    await wait_for_group_messages(sandbox.control, chat_id, 4)
    rows = await db.fetch("SELECT id, dialog_chat_id, reachable FROM users ORDER BY id")
    assert [tuple(r) for r in rows] == [(ann, ann_dialog, True), (bob, None, True)]
    # the object's card, a push for Ann, went to her dialog and nowhere else
    card = (await wait_for_bot_messages(sandbox.control, ann, 2))[-1]
    assert card["text"] == "«Dunes» is now your art object."
    pushed = await db.fetch("SELECT user_id, chat_id FROM outbox WHERE user_id IS NOT NULL "
                            "AND created_at > now() - interval '1 minute' ORDER BY id")  # fmt: skip
    assert {tuple(r) for r in pushed} == {(ann, ann_dialog)}
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE chat_id = $1 AND user_id "
                             "IS NOT NULL", chat_id) == 0  # fmt: skip
    assert await settle(sandbox.control, bob) == []


async def test_a_banned_person_is_ignored_in_a_group_without_the_group_learning_why(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob")
    chat_id = await group_with_bot(sandbox, ann, bob)
    await db.execute("UPDATE users SET banned_at = now(), ban_reason = 'spam' WHERE id = $1", bob)
    photo = await sandbox.control.send_group_photos(chat_id, bob, [jpeg(3)], caption="x")
    await sandbox.control.send_group_text(chat_id, bob, f"/help@{BOT}")
    await sandbox.control.send_group_text(chat_id, bob, f"/add@{BOT}", reply_to=photo["mid"])
    assert texts(await settle_group(sandbox.control, chat_id)) == [HELLO]
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0
