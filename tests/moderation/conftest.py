"""Moderation over the real API and the sandbox: a cast of people with objects (tests/trades'),
two operators, and helpers to report, act and read what was pushed."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest

from config.settings import Settings
from sandbox.runner import RunningSandbox
from tests.pushes import pushed_text
from tests.trades.conftest import Json, Person, alice, bob, carol, person, pool
from tests.webapp.helpers import ApiClient

__all__ = ["Json", "Person", "alice", "bob", "carol", "pool"]
OPERATOR, OPERATOR_2 = 880_001, 880_002


@pytest.fixture
def moderation_overrides() -> dict[str, Any]:
    """Parametrize this to change [moderation] for one test."""
    return {}


@pytest.fixture
def settings(settings: Settings, moderation_overrides: dict[str, Any]) -> Settings:
    moderation = settings.moderation.model_copy(
        update={"operators": (OPERATOR, OPERATOR_2), **moderation_overrides}
    )
    database = settings.database.model_copy(update={"pool_max": 16})
    return settings.model_copy(update={"moderation": moderation, "database": database})


async def operator_person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, user_id: int, name: str
) -> Person:
    await sandbox.control.create_user(name, user_id=user_id, language_code="en")
    return await person(client, sandbox, db, name, 0, user_id=user_id)


@pytest.fixture
async def oper(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await operator_person(client, sandbox, db, OPERATOR, "Oper")


@pytest.fixture
async def oper2(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> Person:
    return await operator_person(client, sandbox, db, OPERATOR_2, "Opal")


async def call(
    client: ApiClient, who: Person | None, method: str, path: str, body: Json | None = None
) -> tuple[int, Any]:
    headers = who.headers if who is not None else {}
    response = await client.request(method, f"/api{path}", json=body, headers=headers)
    return response.status, await response.json()


async def report(
    client: ApiClient, who: Person, object_id: int, reason: str = "spam", kind: str = "spam"
) -> tuple[int, Json]:
    body = {"reason": reason, "kind": kind}
    return await call(client, who, "POST", f"/objects/{object_id}/reports", body)


async def moderate(
    client: ApiClient, who: Person, target: str, action: str, reason: str = "rule 4"
) -> tuple[int, Json]:
    """`target` is "objects/ID" or "users/ID"."""
    return await call(client, who, "POST", f"/moderation/{target}/{action}", {"reason": reason})


async def pushes_to(db: asyncpg.Connection, user_id: int) -> list[Json]:
    """The notices queued for a person, oldest first."""
    rows = await db.fetch(
        "SELECT body FROM outbox WHERE user_id = $1 AND body ? 'notice' ORDER BY id", user_id
    )
    return [row["body"]["notice"] for row in rows]


async def texts_to(db: asyncpg.Connection, user_id: int) -> list[str]:
    rows = await db.fetch("SELECT body FROM outbox WHERE user_id = $1 ORDER BY id", user_id)
    return [pushed_text(row["body"]) for row in rows]


async def count(db: asyncpg.Connection, sql: str, *args: object) -> int:
    found: int = await db.fetchval(sql, *args)
    return found
