"""Removed from a group, the bot forgets it: nothing more is sent or edited there, what was
still queued is dropped, a push already on its way dies once (403) without retries, and late
updates from the chat are ignored."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.webhook import SECRET_HEADER
from sandbox.runner import RunningSandbox
from server.keys import SETTINGS
from tests.groups.helpers import BOT, group_with_bot, jpeg, person, settle_group

Client = TestClient[web.Request, web.Application]


async def sends_to(sandbox: RunningSandbox, chat_id: int) -> list[int]:
    """The statuses MAX answered the bot's sends to the chat with."""
    log = await sandbox.control.requests_log()
    return [r["status"] for r in log if r["method"] == "POST" and r["path"] == "/messages"
            and f"chat_id={chat_id}" in r["query"]]  # fmt: skip


async def wait_until(check: Callable[[], Awaitable[bool]], wait_s: float = 10.0) -> None:
    deadline = time.monotonic() + wait_s
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def test_removed_the_bot_forgets_the_chat_and_drops_what_was_queued(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    photo = await sandbox.control.send_group_photos(chat_id, ann, [jpeg(20)], caption="Kept")
    await sandbox.control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=photo["mid"])
    assert len(await settle_group(sandbox.control, chat_id)) == 2
    # MAX refuses the next send once (503): the answer to /help waits for its retry
    await sandbox.control.inject_fault(count=1, status=503, method="POST", path="/messages")
    await sandbox.control.send_group_text(chat_id, ann, f"/help@{BOT}")
    await wait_until(lambda: _refused_once(sandbox, chat_id))
    await sandbox.control.remove_bot(chat_id, ann)
    await wait_until(lambda: _left(db, chat_id))
    await asyncio.sleep(2.5)  # past the retry's time
    assert await sends_to(sandbox, chat_id) == [200, 200, 503]
    dropped = await db.fetch("SELECT status, last_error, attempts FROM outbox "
                             "WHERE chat_id = $1 AND status <> 'sent'", chat_id)  # fmt: skip
    assert [tuple(r) for r in dropped] == [
        ("skipped", "the bot was removed from the chat", 1)]  # fmt: skip
    row = await db.fetchrow("SELECT title, added_by FROM group_chats WHERE chat_id = $1", chat_id)
    assert row is not None
    assert tuple(row) == (None, None)
    assert await db.fetchval("SELECT count(*) FROM group_photo_claims") == 0
    # the object stays Ann's; only the chat is forgotten
    assert await db.fetchval("SELECT owner_id FROM art_objects") == ann
    assert await db.fetchval("SELECT reachable FROM users WHERE id = $1", ann) is True


async def _refused_once(sandbox: RunningSandbox, chat_id: int) -> bool:
    return 503 in await sends_to(sandbox, chat_id)


async def _left(db: asyncpg.Connection, chat_id: int) -> bool:
    removed = await db.fetchval(
        "SELECT removed_at IS NOT NULL FROM group_chats WHERE chat_id = $1", chat_id
    )
    return bool(removed)


async def test_a_push_already_on_its_way_dies_once_and_blocks_no_one(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """A row queued to the chat before the bot heard it was removed (another replica's, say)
    meets MAX's 403: dead at once, no retries, and no person is marked unreachable."""
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    await sandbox.control.remove_bot(chat_id, ann)
    await wait_until(lambda: _left(db, chat_id))
    await db.execute(
        "INSERT INTO outbox (chat_id, kind, body) VALUES ($1, 'send', $2)",
        chat_id,
        {"message": {"text": "late", "format": "html"}},
    )

    async def dead() -> bool:
        status = await db.fetchval(
            "SELECT status FROM outbox WHERE chat_id = $1 AND body->'message'->>'text' = 'late'",
            chat_id,
        )
        return bool(status == "dead")

    await wait_until(dead)
    await asyncio.sleep(1.5)
    assert await sends_to(sandbox, chat_id) == [200, 403]
    assert await db.fetchval("SELECT reachable FROM users WHERE id = $1", ann) is True


async def test_a_late_update_from_a_chat_the_bot_left_is_ignored(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    await sandbox.control.remove_bot(chat_id, ann)
    await wait_until(lambda: _left(db, chat_id))
    queued = await db.fetchval("SELECT count(*) FROM outbox")
    now = int(time.time() * 1000)
    late = {
        "update_type": "message_created",
        "timestamp": now,
        "message": {
            "sender": {"user_id": ann, "first_name": "Ann", "is_bot": False},
            "recipient": {"chat_id": chat_id, "chat_type": "chat", "user_id": None},
            "timestamp": now,
            "body": {"mid": "mid.late", "seq": 1, "text": f"/help@{BOT}"},
        },
    }
    headers = {SECRET_HEADER: client.app[SETTINGS].webhook_secret}
    webhook_path = client.app[SETTINGS].bot.webhook_path
    async with httpx.AsyncClient(base_url=str(client.make_url(""))) as http:
        answered = await http.post(webhook_path, json=late, headers=headers)
    assert answered.status_code == 200
    await asyncio.sleep(1.0)
    assert await db.fetchval("SELECT count(*) FROM outbox") == queued
    assert await sends_to(sandbox, chat_id) == [200]


async def test_added_again_the_bot_is_back_in_the_chat(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    ann = await person(sandbox, "Ann")
    chat_id = await group_with_bot(sandbox, ann)
    await sandbox.control.remove_bot(chat_id, ann)
    await wait_until(lambda: _left(db, chat_id))
    await sandbox.control.add_bot(chat_id, ann)
    await sandbox.control.send_group_text(chat_id, ann, f"/help@{BOT}")
    said = await settle_group(sandbox.control, chat_id, quiet_s=1.5)
    assert [m["text"].split("\n")[0] for m in said] == [
        said[0]["text"].split("\n")[0],  # the first hello
        said[0]["text"].split("\n")[0],  # hello again
        "Here I answer only what is addressed to me.",
    ]
    assert said[0]["text"].startswith("Hello, everyone!")
    assert (
        await db.fetchval("SELECT removed_at FROM group_chats WHERE chat_id = $1", chat_id) is None
    )
