"""People with objects, and transfers made and answered over the real API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.bot.test_conversation import insert_object
from tests.pushes import pushed_text
from tests.webapp.helpers import ApiClient, LoggedIn, login

Json = dict[str, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    database = settings.database.model_copy(update={"pool_max": 16})
    return settings.model_copy(update={"database": database})


@dataclass(frozen=True)
class Person:
    login: LoggedIn
    objects: list[int]
    name: str

    @property
    def id(self) -> int:
        return self.login.user_id

    @property
    def headers(self) -> dict[str, str]:
        return self.login.headers


async def person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, name: str, objects: int = 1
) -> Person:
    """A logged-in person owning `objects` objects titled "<name>'s 1", …"""
    who = await login(client, sandbox, first_name=name, language_code="en")
    owned = [await insert_object(db, who.user_id, f"{name}'s {n}") for n in range(1, objects + 1)]
    return Person(who, owned, name)


@pytest.fixture
async def anna(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await person(client, sandbox, db, "Anna")


@pytest.fixture
async def bob(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await person(client, sandbox, db, "Bob", objects=0)


@pytest.fixture
async def eve(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await person(client, sandbox, db, "Eve", objects=0)


async def call(
    client: ApiClient, method: str, path: str, who: Person | None, body: Json | None = None
) -> tuple[int, Any]:
    headers = who.headers if who is not None else {}
    response = await client.request(method, f"/api{path}", json=body, headers=headers)
    return response.status, await response.json()


async def create(
    client: ApiClient, owner: Person, object_id: int | None = None, **extra: Any
) -> Json:
    """A transfer the owner made; it must succeed."""
    body = {"object_id": object_id or owner.objects[0], **extra}
    status, created = await call(client, "POST", "/transfers", owner, body)
    assert status == 201, created
    return dict(created)


async def claim(client: ApiClient, who: Person, token: str) -> tuple[int, Any]:
    return await call(client, "POST", "/transfers/claim", who, {"token": token})


async def owner_of(db: asyncpg.Connection, object_id: int) -> int:
    owner: int = await db.fetchval("SELECT owner_id FROM art_objects WHERE id = $1", object_id)
    return owner


async def pushes(db: asyncpg.Connection, user_id: int) -> list[str]:
    rows = await db.fetch(
        "SELECT body FROM outbox WHERE user_id = $1 AND kind = 'send' ORDER BY id", user_id
    )
    return [pushed_text(r["body"]) for r in rows]
