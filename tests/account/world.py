"""A person about to delete their account, with something in every table that can name them,
and the people on the other side of it."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from sandbox.runner import RunningSandbox
from tests.account.conftest import uploaded
from tests.profiles.conftest import ask, set_privacy
from tests.webapp.helpers import ApiClient, LoggedIn, login


@dataclass(frozen=True)
class World:
    leaver: LoggedIn  # deletes their account
    trader: LoggedIn  # has a pending trade with them, and a past one
    receiver: LoggedIn  # is offered a direct transfer, and asks to see their collection
    guarded: LoggedIn  # they asked to see this one's collection
    owned: list[int]  # the leaver's objects: two uploaded, one received by trade
    gift: int  # created by the leaver, owned by the trader now
    received: int  # created by the trader, owned by the leaver now


async def post(client: ApiClient, who: LoggedIn, path: str, body: dict[str, object]) -> None:
    response = await client.post(path, json=body, headers=who.headers)
    assert response.status in (200, 201, 202), await response.text()


async def move(db: asyncpg.Connection, object_id: int, giver: int, taker: int) -> None:
    """A finished trade of one object, as accepting it leaves the rows (a hold is no matter)."""
    title = await db.fetchval("SELECT title FROM art_objects WHERE id = $1", object_id)
    trade = await db.fetchval(
        """INSERT INTO trades (proposer_id, recipient_id, status, expires_at, decided_at)
           VALUES ($1, $2, 'accepted', now() + interval '1 day', now()) RETURNING id""",
        taker,
        giver,
    )
    await db.execute(
        "INSERT INTO trade_items (trade_id, object_id, side, owner_id, title)"
        " VALUES ($1, $2, 'take', $3, $4)",
        trade,
        object_id,
        giver,
        title,
    )
    await db.execute(
        "UPDATE art_objects SET owner_id = $2, version = version + 1 WHERE id = $1",
        object_id,
        taker,
    )
    await db.execute(
        "INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason, reference_id)"
        " VALUES ($1, $2, $3, 'trade', $4)",
        object_id,
        giver,
        taker,
        trade,
    )


async def build_world(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> World:
    leaver = await login(client, sandbox, first_name="Lena", language_code="en")
    trader = await login(client, sandbox, first_name="Tom", language_code="en")
    receiver = await login(client, sandbox, first_name="Rita", language_code="en")
    guarded = await login(client, sandbox, first_name="Gus", language_code="en")
    for person in (leaver, trader, receiver, guarded):
        await sandbox.control.start_bot(person.user_id)  # a dialog: pushes can reach them
    first = await uploaded(client, leaver, "First", 1)
    second = await uploaded(client, leaver, "Second", 2)
    gift = await uploaded(client, leaver, "Gift", 3)
    received = await uploaded(client, trader, "Received", 4)
    offered = await uploaded(client, trader, "Offered", 5)
    await move(db, gift, leaver.user_id, trader.user_id)
    await move(db, received, trader.user_id, leaver.user_id)
    response = await client.put(f"/api/objects/{offered}/favorite", headers=leaver.headers)
    assert response.status == 200, await response.text()
    # the leaver's collection is for approved people: the trader and the receiver are
    await set_privacy(client, leaver, "approved")
    await set_privacy(client, guarded, "approved")
    for person in (trader, receiver):
        request_id = await ask(client, person, leaver)
        await post(client, leaver, f"/api/profile-requests/{request_id}/approve", {})
    await post(
        client,
        leaver,
        "/api/trades",
        {"recipient_id": trader.user_id, "give": [first], "take": [offered]},
    )
    await post(
        client, leaver, "/api/transfers", {"object_id": second, "to_user_id": receiver.user_id}
    )
    await ask(client, guarded, leaver)  # pending both ways
    await ask(client, leaver, guarded)
    await post(client, leaver, "/api/account/exports", {"deliver": "link"})
    await db.execute(
        "INSERT INTO reports (object_id, reporter_id, reason) VALUES ($1, $2, 'spam, surely')",
        offered,
        leaver.user_id,
    )
    await db.execute(
        "INSERT INTO moderation_audit (operator_id, action, target_kind, target_id, reason)"
        " VALUES (1, 'unban', 'user', $1, 'a mistake')",
        leaver.user_id,
    )
    await db.execute(
        "INSERT INTO notification_settings (user_id, favorites) VALUES ($1, true)", leaver.user_id
    )
    await db.execute(
        "INSERT INTO favorite_news (object_id, user_id) VALUES ($1, $2)", offered, leaver.user_id
    )
    await db.execute(
        "INSERT INTO bot_dialogs (user_id, state, expires_at)"
        " VALUES ($1, 'rename', now() + interval '1 hour')",
        leaver.user_id,
    )
    return World(leaver, trader, receiver, guarded, [first, second, received], gift, received)


async def ask_deletion(client: ApiClient, who: LoggedIn) -> tuple[int, dict[str, object]]:
    response = await client.post("/api/account/deletion", headers=who.headers)
    return response.status, await response.json()


async def confirm(client: ApiClient, who: LoggedIn, token: str) -> tuple[int, dict[str, object]]:
    response = await client.post(
        "/api/account/deletion/confirm", json={"token": token}, headers=who.headers
    )
    return response.status, await response.json()
