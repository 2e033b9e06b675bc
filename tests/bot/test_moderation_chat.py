"""Reporting in the sandbox chat: Report from an object's card, the reasons, "Other" with a few
words, a second report refused, and what one cannot see told only as unavailable."""

from __future__ import annotations

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.bot.moderation_chat import TITLE, card, labels, last, press, with_operator
from tests.bot.test_collection_chat import started_user, wait_for_edit, wait_for_notification
from tests.bot.test_conversation import insert_object

Client = TestClient[web.Request, web.Application]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_operator(settings)


async def test_report_from_the_card_and_a_second_report_is_refused(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    owner, bob = await started_user(sandbox, "Olga"), await started_user(sandbox, "Bob")
    object_id = await insert_object(db, owner, TITLE)
    shown = await card(sandbox, bob, object_id, 2)
    assert shown["text"] == f"«{TITLE}» — owned by Olga."
    assert labels(shown) == ["Open", "Share", "Report"]
    own = await card(sandbox, owner, object_id, 2)
    assert labels(own) == ["Open", "Share"]  # nobody reports their own object

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
    assert labels(done) == []
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
