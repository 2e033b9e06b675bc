"""A cast for privacy tests: an owner with one object, and three people who look at it."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from sandbox.runner import RunningSandbox
from tests.bot.test_conversation import insert_object
from tests.webapp.helpers import LoggedIn, login

Client = TestClient[web.Request, web.Application]


@dataclass(frozen=True)
class Cast:
    owner: LoggedIn
    approved: LoggedIn  # asked, and the owner said yes
    pending: LoggedIn  # asked, no answer yet
    stranger: LoggedIn  # never asked
    object_id: int

    def viewer(self, role: str) -> LoggedIn:
        viewer: LoggedIn = getattr(self, role)
        return viewer


async def set_privacy(client: Client, who: LoggedIn, privacy: str) -> None:
    response = await client.patch("/api/me", json={"privacy": privacy}, headers=who.headers)
    assert response.status == 200, await response.text()
    assert (await response.json())["privacy"] == privacy


async def ask(client: Client, who: LoggedIn, target: LoggedIn) -> int:
    response = await client.post(
        "/api/profile-requests", json={"target_id": target.user_id}, headers=who.headers
    )
    assert response.status == 201, await response.text()
    request_id: int = (await response.json())["id"]
    return request_id


@pytest.fixture
async def cast(client: Client, sandbox: RunningSandbox, db: asyncpg.Connection) -> Cast:
    owner = await login(client, sandbox, first_name="Olga", language_code="en")
    approved = await login(client, sandbox, first_name="Alex", language_code="en")
    pending = await login(client, sandbox, first_name="Petr", language_code="en")
    stranger = await login(client, sandbox, first_name="Sam", language_code="en")
    object_id = await insert_object(db, owner.user_id, "Secret garden")
    await db.execute(
        "UPDATE art_objects SET description = 'Roses behind the old wall' WHERE id = $1",
        object_id,
    )
    for viewer in (approved, pending, stranger):  # favourited while everything was public
        await db.execute(
            "INSERT INTO favorites (user_id, object_id) VALUES ($1, $2)", viewer.user_id, object_id
        )
    await set_privacy(client, owner, "approved")
    request_id = await ask(client, approved, owner)
    response = await client.post(
        f"/api/profile-requests/{request_id}/approve", headers=owner.headers
    )
    assert response.status == 200, await response.text()
    await ask(client, pending, owner)
    return Cast(owner, approved, pending, stranger, object_id)
