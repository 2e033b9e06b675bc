"""Moderation in the sandbox chat: Report from an object's card, the operators' push and
/reports with Hide / Dismiss / Ban owner, the owner told, and forged operator buttons refused."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from config.settings import Settings
from gallery.moderation.reports import announce_reports
from sandbox.runner import RunningSandbox
from tests.bot.helpers import buttons, settle, wait_for_bot_messages
from tests.bot.test_collection_chat import (
    keyboard_with,
    started_user,
    wait_for_edit,
    wait_for_notification,
)
from tests.bot.test_conversation import insert_object

Client = TestClient[web.Request, web.Application]
Json = dict[str, Any]
OPERATOR = 770_001
TITLE = "<b>Sea</b> & sky"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    moderation = settings.moderation.model_copy(update={"operators": (OPERATOR,)})
    return settings.model_copy(update={"moderation": moderation})


async def operator_started(sandbox: RunningSandbox) -> int:
    await sandbox.control.create_user("Oper", user_id=OPERATOR, language_code="en")
    await sandbox.control.start_bot(OPERATOR)
    await wait_for_bot_messages(sandbox.control, OPERATOR)
    return OPERATOR


async def last(sandbox: RunningSandbox, user_id: int, count: int) -> Json:
    return (await wait_for_bot_messages(sandbox.control, user_id, count, wait_s=15))[-1]


async def press(sandbox: RunningSandbox, user_id: int, message: Json, payload: str) -> None:
    """The sandbox presses only buttons a message holds: put a forged or spent one there."""
    if payload not in [b.get("payload") for b in buttons(message)]:
        sandbox.state.messages[message["mid"]].attachments = [keyboard_with(payload)]
    await sandbox.control.press_button(user_id, message["mid"], payload)


async def wait_for_change(sandbox: RunningSandbox, user_id: int, seen: Json) -> Json:
    """The message once an edit changed its text from what `seen` shows."""
    for _ in range(200):
        events = await sandbox.control.chat_messages(user_id=user_id)
        [message] = [e for e in events if e.get("mid") == seen["mid"]]
        if message["text"] != seen["text"]:
            return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {seen['mid']} was not edited again")


def labels(message: Json) -> list[str]:
    return [b["text"] for b in buttons(message)]


async def card(sandbox: RunningSandbox, user_id: int, object_id: int, count: int) -> Json:
    await sandbox.control.start_bot(user_id, f"o_{object_id}")
    return await last(sandbox, user_id, count)


async def reported(sandbox: RunningSandbox, user_id: int, object_id: int, kind: str) -> Json:
    """Report from the card (the user's second message): the reason message, once answered."""
    shown = await card(sandbox, user_id, object_id, 2)
    await press(sandbox, user_id, shown, encode("rp", object_id))
    ask = await last(sandbox, user_id, 3)
    await press(sandbox, user_id, ask, encode("rk", object_id, kind))
    return await wait_for_edit(sandbox, user_id, ask["mid"])


async def test_report_from_the_card_and_a_second_report_is_refused(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    object_id = await insert_object(db, owner, TITLE)
    shown = await card(sandbox, bob, object_id, 2)
    assert shown["text"] == f"«{TITLE}» — owned by Olga."
    assert labels(shown) == ["Open", "Report"]
    own = await card(sandbox, owner, object_id, 2)
    assert labels(own) == ["Open"]  # nobody reports their own object

    await press(sandbox, bob, shown, encode("rp", object_id))
    ask = await last(sandbox, bob, 3)
    assert ask["text"] == (
        f"What is wrong with «{TITLE}»? Choose a reason — only the moderators see reports."
    )
    assert labels(ask) == ["Spam", "Not theirs / stolen", "Offensive", "Other"]
    await press(sandbox, bob, ask, encode("rk", object_id, "copyright"))
    done = await wait_for_edit(sandbox, bob, ask["mid"])
    assert done["text"] == (
        f"Thank you! Your report on «{TITLE}» (Not theirs / stolen) is with the moderators."
    )
    assert buttons(done) == []
    assert await wait_for_notification(sandbox, bob, 2) == "Report sent"
    rows = await db.fetch("SELECT object_id, reporter_id, kind, reason, status FROM reports")
    assert [tuple(r) for r in rows] == [(object_id, bob, "copyright", "copyright", "open")]

    await press(sandbox, bob, done, encode("rk", object_id, "spam"))
    assert await wait_for_notification(sandbox, bob, 3) == (
        "You have already reported this object; the moderators will look at it."
    )
    assert await db.fetchval("SELECT count(*) FROM reports") == 1


async def test_other_waits_for_a_few_words_or_sends_without_them(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    first, second = await insert_object(db, owner, "One"), await insert_object(db, owner, "Two")
    shown = await card(sandbox, bob, first, 2)
    await press(sandbox, bob, shown, encode("rp", first))
    ask = await last(sandbox, bob, 3)
    await press(sandbox, bob, ask, encode("rk", first, "other"))
    waiting = await wait_for_edit(sandbox, bob, ask["mid"])
    assert waiting["text"] == (
        "Tell the moderators in one message what is wrong with «One» (up to 500 characters), "
        "or send the report without details. /cancel to stop."
    )
    assert labels(waiting) == ["Send without details"]
    await sandbox.control.send_text(bob, "x" * 501)
    assert (await last(sandbox, bob, 4))["text"] == (
        "That is too long: 500 characters at most. Try a shorter one, or /cancel."
    )
    await sandbox.control.send_text(bob, "It is my <i>photo</i>")
    assert (await last(sandbox, bob, 5))["text"] == (
        "Thank you! Your report on «One» (Other) is with the moderators."
    )
    await sandbox.control.send_text(bob, "more words")  # the dialog is over
    assert (await last(sandbox, bob, 6))["text"] == (
        "I didn't understand that. Send a photo or type /help."
    )

    await press(sandbox, bob, waiting, encode("rk", second, "other", "-"))
    assert await wait_for_notification(sandbox, bob, 3) == "Report sent"
    rows = await db.fetch("SELECT object_id, kind, reason FROM reports ORDER BY id")
    assert [tuple(r) for r in rows] == [
        (first, "other", "It is my <i>photo</i>"),
        (second, "other", "other"),
    ]


async def test_reporting_what_one_cannot_see_says_only_that_it_is_unavailable(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    object_id = await insert_object(db, owner, "Private")
    await db.execute("UPDATE users SET privacy = 'private' WHERE id = $1", owner)
    await sandbox.control.send_text(bob, "/help")
    message = await last(sandbox, bob, 2)
    for n, target in enumerate((object_id, object_id + 1000), start=1):
        await press(sandbox, bob, message, encode("rk", target, "spam"))
        assert await wait_for_notification(sandbox, bob, n) == (
            "This object is no longer available."
        )
    assert await db.fetchval("SELECT count(*) FROM reports") == 0


async def test_the_operator_hides_from_the_push_and_the_owner_is_told(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection, settings: Settings
) -> None:
    operator = await operator_started(sandbox)
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    object_id = await insert_object(db, owner, TITLE)
    await reported(sandbox, bob, object_id, "spam")
    assert await announce_reports(db, settings.moderation) == 1
    push = await last(sandbox, operator, 2)
    assert push["text"] == f"New reports: 1 (1 open in all).\n• «{TITLE}»"
    assert labels(push) == ["Open reports", "Moderation"]

    await press(sandbox, operator, push, encode("ml"))
    listing = await last(sandbox, operator, 3)
    assert listing["text"] == f"Open reports (1):\n1. «{TITLE}» — Olga: Spam (1 reports)"
    assert labels(listing) == ["Hide 1", "Dismiss 1", "Ban owner 1", "Moderation"]
    await press(sandbox, operator, listing, encode("mh", object_id))
    ask = await last(sandbox, operator, 4)
    assert ask["text"] == f"Why hide «{TITLE}»? The owner will see the reason."
    await press(sandbox, operator, ask, encode("mh", object_id, "spam"))
    done = await wait_for_edit(sandbox, operator, ask["mid"])
    assert (done["text"], labels(done)) == (f"«{TITLE}» is hidden. Reason: Spam.", ["Restore"])

    told = await last(sandbox, owner, 2)
    assert told["text"] == (
        f"The moderators hid your object «{TITLE}». Reason: Spam. Only you can see it now."
    )
    gone = await card(sandbox, bob, object_id, 4)
    assert gone["text"] == "This link is not valid or has expired."
    assert (await card(sandbox, owner, object_id, 3))["text"] == f"«{TITLE}» — owned by Olga."
    assert await db.fetchval("SELECT status FROM reports") == "resolved"

    await press(sandbox, operator, done, encode("mr", object_id))
    restored = await wait_for_change(sandbox, operator, done)
    assert (restored["text"], labels(restored)) == (f"«{TITLE}» is visible again.", [])
    assert (await last(sandbox, owner, 4))["text"] == (
        f"Your object «{TITLE}» is visible again to everyone your collection is open to."
    )


async def test_the_operator_bans_the_owner_from_the_list(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    operator = await operator_started(sandbox)
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    object_id = await insert_object(db, owner, "Spam again")
    await reported(sandbox, bob, object_id, "offensive")
    await sandbox.control.send_text(operator, "/reports")
    listing = await last(sandbox, operator, 2)
    await press(sandbox, operator, listing, encode("mb", owner))
    ask = await last(sandbox, operator, 3)
    assert ask["text"] == "Why ban Olga? They will see the reason."
    await press(sandbox, operator, ask, encode("mb", owner, "offensive"))
    done = await wait_for_edit(sandbox, operator, ask["mid"])
    assert (done["text"], labels(done)) == ("Olga is banned. Reason: Offensive.", ["Unban"])
    assert (await last(sandbox, owner, 2))["text"] == (
        "The moderators have blocked your account. Reason: Offensive."
    )
    assert await db.fetchval("SELECT banned_at IS NOT NULL FROM users WHERE id = $1", owner)
    assert (await card(sandbox, bob, object_id, 4))["text"] == (
        "This link is not valid or has expired."
    )
    audit = await db.fetch("SELECT operator_id, action, target_id, reason FROM moderation_audit")
    assert [tuple(r) for r in audit] == [(operator, "ban", owner, "offensive")]


async def test_dismiss_closes_the_objects_reports(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    operator = await operator_started(sandbox)
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    object_id = await insert_object(db, owner, "Fine art")
    await reported(sandbox, bob, object_id, "spam")
    await sandbox.control.send_text(operator, "/reports")
    listing = await last(sandbox, operator, 2)
    await press(sandbox, operator, listing, encode("md", object_id))
    assert (await last(sandbox, operator, 3))["text"] == "The report on «Fine art» is dismissed."
    assert await db.fetchval("SELECT status FROM reports") == "dismissed"
    await sandbox.control.send_text(operator, "/reports")
    assert (await last(sandbox, operator, 4))["text"] == "No open reports."


async def test_operator_buttons_and_reports_from_anyone_else_reveal_nothing(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, eve = await started_user(sandbox, "Olga"), await started_user(sandbox, "Eve")
    object_id = await insert_object(db, owner, "Target")
    await sandbox.control.send_text(eve, "/reports")
    assert (await last(sandbox, eve, 2))["text"] == (
        "I didn't understand that. Send a photo or type /help."
    )
    message = await last(sandbox, eve, 2)
    forged = [encode("mh", object_id, "spam"), encode("mb", owner, "spam"),
              encode("md", object_id), encode("mr", object_id), encode("mu", owner),
              encode("ml")]  # fmt: skip
    for n, payload in enumerate(forged, start=1):
        await press(sandbox, eve, message, payload)
        assert await wait_for_notification(sandbox, eve, n) == "This button is no longer valid."
    assert len(await settle(sandbox.control, eve)) == 2
    assert await db.fetchval("SELECT hidden_at FROM art_objects") is None
    assert await db.fetchval("SELECT banned_at FROM users WHERE id = $1", owner) is None
    assert await db.fetchval("SELECT count(*) FROM moderation_audit") == 0
