"""Each switch silences exactly its kind of push: with one off, every kind of event happens to
Alice, and the sandbox chat shows every push but that kind's; the inbox still lists them all."""

from __future__ import annotations

import aiohttp
import asyncpg
import pytest

from config.settings import Settings
from gallery.moderation.reports import announce_reports
from sandbox.runner import RunningSandbox
from tests.browser.artworks import artwork_jpeg
from tests.notifications.conftest import (
    ALICE,
    OPERATOR,
    Person,
    announce,
    call,
    favorite,
    started_person,
    switch,
    told,
)
from tests.webapp.helpers import ApiClient

# what reaches Alice's chat, in order, and the switch that covers each
PUSHES = [
    ("requests", "Bob asks to see your collection."),
    ("trades", "Bob offers you a trade.\nYou give: «Alice 1»\nYou get: «Bob 1»"),
    ("trades", "Bob declined your trade."),
    ("transfers", "Bob wants to hand «Bob 3» over to you. Accept it?"),
    ("favorites", "Bob favourited «Alice 1»."),
    ("moderation", "New reports: 1 (1 open in all).\n• «Alice 2»"),
    (
        "moderation",
        "The moderators hid your object «Alice 2». Reason: rule 4. Only you can see it now.",
    ),
]


async def uploaded(client: ApiClient, who: Person, title: str) -> int:
    """An object with a real photo (a transfer's push carries its image)."""
    form = aiohttp.FormData()
    form.add_field("file", artwork_jpeg(7), filename="7.jpg", content_type="image/jpeg")
    form.add_field("title", title)
    response = await client.post("/api/photos", data=form, headers=who.headers)
    body = await response.json()
    assert response.status == 201, body
    return int(body["id"])


async def every_kind_of_event(
    client: ApiClient, pool: asyncpg.Pool, settings: Settings, alice: Person, bob: Person,
    oper: Person,
) -> None:  # fmt: skip
    """An access request, a trade, a transfer, a favourite, a report and a hidden object."""
    assert (await call(client, alice, "PATCH", "/me", {"privacy": "approved"}))[0] == 200
    status, request = await call(client, bob, "POST", "/profile-requests", {"target_id": alice.id})
    assert status == 201, request
    assert (await call(client, alice, "POST", f"/profile-requests/{request['id']}/approve"))[
        0
    ] == 200
    trade = {"recipient_id": alice.id, "give": [bob.objects[0]], "take": [alice.objects[0]]}
    assert (await call(client, bob, "POST", "/trades", trade))[0] == 201
    mine = {"recipient_id": bob.id, "give": [alice.objects[2]], "take": [bob.objects[1]]}
    status, declined = await call(client, alice, "POST", "/trades", mine)
    assert status == 201, declined
    assert (await call(client, bob, "POST", f"/trades/{declined['id']}/decline"))[0] == 200
    transfer = {"object_id": await uploaded(client, bob, "Bob 3"), "to_user_id": alice.id}
    assert (await call(client, bob, "POST", "/transfers", transfer))[0] == 201
    await favorite(client, bob, alice.objects[0])
    assert await announce(pool) <= 1
    report = {"reason": "spam", "kind": "spam"}
    assert (await call(client, bob, "POST", f"/objects/{alice.objects[1]}/reports", report))[
        0
    ] == 201
    async with pool.acquire() as conn:
        await announce_reports(conn, settings.moderation)
    hide = {"reason": "rule 4"}
    status, _ = await call(
        client, oper, "POST", f"/moderation/objects/{alice.objects[1]}/hide", hide
    )
    assert status == 200


@pytest.mark.parametrize(
    "off", [None, "trades", "transfers", "requests", "favorites", "moderation"]
)
async def test_a_switch_off_silences_its_kind_and_nothing_else(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, pool: asyncpg.Pool,
    settings: Settings, off: str | None,
) -> None:  # fmt: skip
    alice = await started_person(client, sandbox, db, "Alice", ALICE, 3)
    bob = await started_person(client, sandbox, db, "Bob", 900_001)
    oper = await started_person(client, sandbox, db, "Oper", OPERATOR)
    await switch(client, alice, favorites=True)
    if off is not None:
        await switch(client, alice, **{off: False})
    await every_kind_of_event(client, pool, settings, alice, bob, oper)
    assert await told(sandbox, alice, quiet_s=1.0) == [text for kind, text in PUSHES if kind != off]
    # what was not pushed is still in the inbox, built from the trades, transfers and requests
    for path, expected in (("/trades?box=incoming", 1), ("/trades?box=outgoing&status=declined", 1),
                           ("/transfers?box=incoming", 1),
                           ("/profile-requests?box=incoming&status=all", 1)):  # fmt: skip
        status, listed = await call(client, alice, "GET", path)
        assert (status, len(listed["items"])) == (200, expected), (path, listed)


async def test_a_ban_arrives_with_every_switch_off(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await started_person(client, sandbox, db, "Alice", 900_002)
    oper = await started_person(client, sandbox, db, "Oper", OPERATOR)
    everything_off = {kind: False for kind, _ in PUSHES}
    await switch(client, alice, **everything_off)
    status, _ = await call(client, oper, "POST", f"/moderation/users/{alice.id}/ban",
                           {"reason": "rule 4"})  # fmt: skip
    assert status == 200
    status, _ = await call(client, oper, "POST", f"/moderation/users/{alice.id}/unban",
                           {"reason": "appeal"})  # fmt: skip
    assert status == 200
    said = await told(sandbox, alice)
    assert len(said) == 2, said
    assert "rule 4" in said[0], said
