"""A small world for hostile input: Alice (who sends it) and Bob, with one of everything pending
between them, so that a request which slipped past validation would really change something."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.cards.helpers import uploaded
from tests.webapp.helpers import ApiClient, LoggedIn, login

Json = dict[str, Any]
# every table a request could change; a refusal leaves each exactly as it was (the outbox's
# rows are sent, so changed, in the background: that a refusal queues none is what counts)
TABLES = {
    "users": "t::text", "art_objects": "t::text", "photos": "t::text",
    "ownership_history": "t::text", "trades": "t::text", "trade_items": "t::text",
    "transfers": "t::text", "favorites": "t::text", "profile_requests": "t::text",
    "auth_sessions": "t::text", "bot_dialogs": "t::text", "outbox": "t.id::text",
}  # fmt: skip


@dataclass(frozen=True)
class World:
    alice: LoggedIn
    bob: LoggedIn
    alice_objects: list[int]
    bob_objects: list[int]
    trade: Json
    transfer_id: int
    request_id: int

    @property
    def headers(self) -> dict[str, str]:
        return self.alice.headers


async def posted(client: ApiClient, path: str, body: Json, who: LoggedIn) -> Json:
    response = await client.post(path, json=body, headers=who.headers)
    answer: Json = await response.json()
    assert response.status == 201, answer
    return answer


@pytest.fixture
async def world(client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection) -> World:
    alice = await login(client, sandbox, first_name="Alice", language_code="en")
    bob = await login(client, sandbox, first_name="Bob", language_code="en")
    # uploaded, so every route that opens an object's files (cards, exports) finds them
    alice_objects = [await uploaded(client, alice, f"Alice {n}", seed=n) for n in (1, 2)]
    bob_objects = [await uploaded(client, bob, f"Bob {n}", seed=n + 2) for n in (1, 2)]
    trade = await posted(client, "/api/trades", {
        "recipient_id": alice.user_id, "give": [bob_objects[0]], "take": [alice_objects[0]],
        "message": "a fair trade",
    }, bob)  # fmt: skip
    transfer = await posted(
        client, "/api/transfers", {"object_id": bob_objects[1], "to_user_id": alice.user_id}, bob
    )
    response = await client.patch("/api/me", json={"privacy": "approved"}, headers=alice.headers)
    assert response.status == 200, await response.json()
    request = await posted(client, "/api/profile-requests", {"target_id": alice.user_id}, bob)
    return World(alice, bob, alice_objects, bob_objects, trade, transfer["id"], request["id"])


async def snapshot(db: asyncpg.Connection) -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    state = {}
    for table, row in TABLES.items():
        rows = await db.fetch(f"SELECT {row} AS row FROM {table} t ORDER BY 1")  # noqa: S608
        state[table] = [r["row"] for r in rows]
    return state


def assert_refusal(status: int, body: Any, what: str) -> None:
    """A 4xx with the API's error shape: {"error": code, "detail": ...}."""
    assert 400 <= status < 500, f"{what}: {status} {body}"
    assert isinstance(body, dict), f"{what}: {body}"
    assert set(body) == {"error", "detail"}, f"{what}: {body}"
    assert isinstance(body["error"], str), f"{what}: {body}"


def invalid(loc: list[Any], msg: str) -> Json:
    """The API's answer to a body or query that fails validation at `loc`."""
    return {"error": "invalid", "detail": [{"loc": loc, "msg": msg}]}


async def answer(response: aiohttp.ClientResponse) -> tuple[int, Json]:
    return response.status, await response.json()
