"""People who started the bot (so their pushes reach the sandbox chat), their switches set over
the API, and what reached each chat."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from config.settings import Settings
from gallery.favorites import announce_favorites
from sandbox.runner import RunningSandbox
from tests.bot.helpers import bot_messages, settle, wait_for_bot_messages
from tests.trades.conftest import Json, Person, person, pool
from tests.trades.test_chat import chat_person
from tests.webapp.helpers import ApiClient

__all__ = ["Json", "Person", "chat_person", "pool"]
OPERATOR, ALICE = 880_001, 880_002  # both operators: Alice hears of reports too
SWITCHES = ("trades", "transfers", "requests", "favorites", "moderation")
DEFAULTS = {"trades": True, "transfers": True, "requests": True, "favorites": False,
            "moderation": True}  # fmt: skip


@pytest.fixture
def settings(settings: Settings) -> Settings:
    moderation = settings.moderation.model_copy(update={"operators": (OPERATOR, ALICE)})
    database = settings.database.model_copy(update={"pool_max": 16})
    return settings.model_copy(update={"moderation": moderation, "database": database})


async def started_person(
    client: ApiClient,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
    name: str,
    user_id: int,
    objects: int = 2,
) -> Person:
    """Someone with this MAX id who started the bot and opened the mini-app."""
    await sandbox.control.create_user(name, user_id=user_id, language_code="en")
    await sandbox.control.start_bot(user_id)
    await wait_for_bot_messages(sandbox.control, user_id)
    return await person(client, sandbox, db, name, objects, user_id=user_id)


async def switch(client: ApiClient, who: Person, **changes: bool) -> Json:
    response = await client.patch("/api/me/notifications", json=changes, headers=who.headers)
    body: Json = await response.json()
    assert response.status == 200, body
    return body


async def call(
    client: ApiClient, who: Person | None, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    headers = who.headers if who is not None else {}
    response = await client.request(method, f"/api{path}", json=body, headers=headers)
    return response.status, await response.json()


async def favorite(client: ApiClient, who: Person, object_id: int, on: bool = True) -> None:
    method = "PUT" if on else "DELETE"
    response = await client.request(
        method, f"/api/objects/{object_id}/favorite", headers=who.headers
    )
    assert response.status == 200, await response.text()


async def announce(pool: asyncpg.Pool) -> int:
    """One round of the favourites job, as server/jobs.py runs it."""
    async with pool.acquire() as conn:
        return await announce_favorites(conn)


async def an_hour_later(db: asyncpg.Connection) -> None:
    """The clock moved on: every object's next allowed favourites push is due."""
    await db.execute("UPDATE favorite_pushes SET next_at = next_at - interval '1 hour'")


async def told(sandbox: RunningSandbox, who: Person, quiet_s: float = 0.6) -> list[str]:
    """What the bot said to `who` after its greeting, once nothing more arrives."""
    messages = await settle(sandbox.control, who.id, quiet_s)
    return [m["text"] for m in messages[1:]]


async def said(sandbox: RunningSandbox, who: Person) -> list[str]:
    """What the bot said to `who` after its greeting, so far."""
    return [m["text"] for m in (await bot_messages(sandbox.control, who.id))[1:]]
