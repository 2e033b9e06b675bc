"""Operators in the sandbox chat: the push for new reports, /reports with Hide / Dismiss / Ban
owner, the owner told, undo from the same message, and forged operator buttons refused."""

from __future__ import annotations

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.payloads import encode
from config.settings import Settings
from gallery.moderation.reports import announce_reports
from sandbox.runner import RunningSandbox
from tests.bot.helpers import settle
from tests.bot.moderation_chat import (
    TITLE,
    card,
    labels,
    last,
    operator_started,
    press,
    reported,
    wait_for_change,
    with_operator,
)
from tests.bot.test_collection_chat import started_user, wait_for_edit, wait_for_notification
from tests.bot.test_conversation import insert_object

Client = TestClient[web.Request, web.Application]
# one answer for hidden, private and missing objects alike (bot/texts/share.py)
NOT_SHOWN = (
    "This object can't be shown: its collection is private, or the link is wrong. "
    "You can ask its owner for access."
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_operator(settings)


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
    assert gone["text"] == NOT_SHOWN
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
    assert (await card(sandbox, bob, object_id, 4))["text"] == NOT_SHOWN
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
