"""People with objects, and trades proposed and answered over the real API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from storage.db import create_pool
from tests.bot.test_conversation import insert_object
from tests.pushes import pushed_text
from tests.webapp.helpers import ApiClient, LoggedIn, login

Json = dict[str, Any]


@pytest.fixture
def rules_overrides() -> dict[str, Any]:
    """Parametrize this to change the trade rules for one test."""
    return {}


@pytest.fixture
def settings(settings: Settings, rules_overrides: dict[str, Any]) -> Settings:
    rules = settings.rules.model_copy(update=rules_overrides)
    database = settings.database.model_copy(update={"pool_max": 16})
    return settings.model_copy(update={"rules": rules, "database": database})


@pytest.fixture
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    """Connections set up as the app's are (JSON codecs), for calling gallery functions."""
    assert settings.database.url is not None
    created = await create_pool(settings.database.url, settings.database)
    try:
        yield created
    finally:
        await created.close()


@dataclass(frozen=True)
class Person:
    login: LoggedIn
    objects: list[int]

    @property
    def id(self) -> int:
        return self.login.user_id

    @property
    def headers(self) -> dict[str, str]:
        return self.login.headers


async def person(
    client: ApiClient,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
    name: str,
    objects: int = 2,
    *,
    user_id: int | None = None,
) -> Person:
    """A logged-in person owning `objects` objects titled "<name> 1", "<name> 2", …"""
    who = await login(client, sandbox, first_name=name, language_code="en", user_id=user_id)
    owned = [await insert_object(db, who.user_id, f"{name} {n}") for n in range(1, objects + 1)]
    return Person(who, owned)


@pytest.fixture
async def alice(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await person(client, sandbox, db, "Alice")


@pytest.fixture
async def bob(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await person(client, sandbox, db, "Bob")


@pytest.fixture
async def carol(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await person(client, sandbox, db, "Carol")


async def propose(
    client: ApiClient,
    by: Person,
    to: Person | int,
    give: list[int] | None = None,
    take: list[int] | None = None,
    message: str = "",
) -> tuple[int, Json]:
    recipient = to if isinstance(to, int) else to.id
    body = {"recipient_id": recipient, "give": give or [], "take": take or [], "message": message}
    response = await client.post("/api/trades", json=body, headers=by.headers)
    return response.status, await response.json()


async def made(client: ApiClient, by: Person, to: Person, give: list[int], take: list[int]) -> Json:
    status, body = await propose(client, by, to, give, take)
    assert status == 201, body
    return body


async def act(
    client: ApiClient, who: Person, trade_id: int, action: str, body: Json | None = None
) -> tuple[int, Json]:
    response = await client.post(f"/api/trades/{trade_id}/{action}", json=body, headers=who.headers)
    return response.status, await response.json()


async def accept(client: ApiClient, who: Person, trade: Json) -> tuple[int, Json]:
    return await act(client, who, trade["id"], "accept", {"version": trade["version"]})


async def owners(db: asyncpg.Connection) -> dict[int, int]:
    rows = await db.fetch("SELECT id, owner_id FROM art_objects")
    return {r["id"]: r["owner_id"] for r in rows}


async def statuses(db: asyncpg.Connection) -> dict[int, str]:
    return {r["id"]: r["status"] for r in await db.fetch("SELECT id, status FROM trades")}


def refusal(code: str, detail: str) -> Json:
    return {"error": code, "detail": detail}


async def pushes(db: asyncpg.Connection) -> list[tuple[int, str]]:
    """(to whom, text) of every queued chat push, in order."""
    rows = await db.fetch("SELECT user_id, body FROM outbox WHERE kind = 'send' ORDER BY id")
    return [(r["user_id"], pushed_text(r["body"])) for r in rows]
