"""Deleting an account: the token's rules (whose, once, in time, for what was shown), a race
of confirmations, a stale access token, the chat's two steps, and /start afterwards."""

from __future__ import annotations

import asyncio

import asyncpg

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.account.conftest import uploaded
from tests.account.world import ask_deletion, confirm
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.bot.test_collection_chat import wait_for_edit
from tests.webapp.helpers import ApiClient, login

SNAPSHOT = """
SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM art_objects) AS objects,
       (SELECT count(*) FROM auth_sessions WHERE revoked_at IS NULL) AS sessions,
       (SELECT count(*) FROM photos) AS photos
"""
INVALID = {
    "error": "deletion_token_invalid",
    "detail": "this confirmation is not valid any more; ask again",
}


async def snapshot(db: asyncpg.Connection) -> dict[str, int]:
    row = await db.fetchrow(SNAPSHOT)
    assert row is not None
    return dict(row)


async def test_bad_tokens_change_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Lena", language_code="en")
    other = await login(client, sandbox, first_name="Tom", language_code="en")
    await uploaded(client, me, "First", 1)
    _, mine = await ask_deletion(client, me)
    _, theirs = await ask_deletion(client, other)
    before = await snapshot(db)
    # a made-up token, another person's token (both ways), an empty one
    for who, token in ((me, "x" * 22), (me, str(theirs["token"])), (other, str(mine["token"]))):
        assert await confirm(client, who, token) == (410, INVALID)
    status, body = await confirm(client, me, "")
    assert (status, body["error"]) == (400, "invalid")
    # an expired one
    await db.execute(
        "UPDATE account_deletions SET expires_at = now() - interval '1 second' WHERE user_id = $1",
        me.user_id,
    )
    assert await confirm(client, me, str(mine["token"])) == (410, INVALID)
    assert await snapshot(db) == before
    # what was shown changed: refused, and the token is used up
    _, shown = await ask_deletion(client, me)
    await uploaded(client, me, "Second", 2)
    status, body = await confirm(client, me, str(shown["token"]))
    assert (status, body["error"]) == (409, "deletion_changed")
    assert await confirm(client, me, str(shown["token"])) == (410, INVALID)
    assert (await snapshot(db))["users"] == 2


async def test_racing_confirmations_delete_once(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Lena", language_code="en")
    await uploaded(client, me, "First", 1)
    _, warning = await ask_deletion(client, me)
    _, second = await ask_deletion(client, me)
    tokens = [str(warning["token"])] * 6 + [str(second["token"])] * 2
    answers = await asyncio.gather(*(confirm(client, me, token) for token in tokens))
    statuses = sorted(status for status, _ in answers)
    assert statuses.count(200) == 1
    assert set(statuses) - {200} <= {401, 410}
    assert await db.fetchval("SELECT count(*) FROM users WHERE deleted_at IS NOT NULL") == 1
    assert await db.fetchval("SELECT count(*) FROM users WHERE id = $1", me.user_id) == 0


async def test_a_stale_access_token_is_refused_and_a_new_login_starts_fresh(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Lena", language_code="en")
    await uploaded(client, me, "First", 1)
    first_seen = await db.fetchval("SELECT first_seen_at FROM users WHERE id = $1", me.user_id)
    _, warning = await ask_deletion(client, me)
    assert (await confirm(client, me, str(warning["token"])))[0] == 200
    response = await client.get("/api/me", headers=me.headers)
    assert response.status == 401
    response = await client.post("/api/auth/refresh", json={"refresh_token": me.refresh_token})
    assert response.status == 401
    again = await login(client, sandbox, user_id=me.user_id, language_code="en")
    response = await client.get("/api/me", headers=again.headers)
    assert response.status == 200
    assert await db.fetchval("SELECT first_seen_at FROM users WHERE id = $1", me.user_id) > (
        first_seen
    )
    response = await client.get(f"/api/users/{me.user_id}/objects", headers=again.headers)
    if response.status == 200:
        assert (await response.json())["items"] == []
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0


async def test_chat_delete_warns_then_deletes_and_start_begins_afresh(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Lena", language_code="en")
    await uploaded(client, me, "First", 1)
    await sandbox.control.send_text(me.user_id, "/delete")
    [warning] = await wait_for_bot_messages(sandbox.control, me.user_id)
    assert warning["text"].split("\n") == [
        "Delete your account?",
        "• The objects you own (1) and their photos are removed from the gallery.",
        "• Open trades (0), transfers (0) and access requests (0) are cancelled; "
        "the other side is told.",
        "• Other people's object histories keep you as “deleted account”.",
        "• Favourites, logins and settings are deleted. This cannot be undone.",
        "The button works for 10 min. You can download your data first: /export",
    ]
    confirm_button, keep_button = buttons(warning)
    assert (confirm_button["text"], keep_button["text"]) == ("Delete for good", "Keep my account")
    token = confirm_button["payload"].split("|")[2]
    await sandbox.control.press_button(me.user_id, warning["mid"], encode("ad", token))
    edited = await wait_for_edit(sandbox, me.user_id, warning["mid"])
    assert edited["text"] == "Your account is deleted. If you come back, /start begins afresh."
    assert await db.fetchval("SELECT count(*) FROM users WHERE id = $1", me.user_id) == 0
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0

    await sandbox.control.start_bot(me.user_id)
    greeting = (await wait_for_bot_messages(sandbox.control, me.user_id, 2))[-1]
    assert greeting["text"].startswith("Hello, Lena!")
    fresh = await db.fetchrow("SELECT * FROM users WHERE id = $1", me.user_id)
    assert fresh is not None
    assert fresh["deleted_at"] is None
    await sandbox.control.send_text(me.user_id, "/my")
    mine = (await wait_for_bot_messages(sandbox.control, me.user_id, 3))[-1]
    assert mine["text"] == "You have no objects yet. Send a photo and it becomes your first."
