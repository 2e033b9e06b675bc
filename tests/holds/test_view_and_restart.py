"""The object view's held_until, and a hold that outlives the app that set it."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
from aiohttp.test_utils import TestClient

from config.settings import Settings
from server.app import create_app
from tests.holds.conftest import HOLD_HOURS, api, received_at, traded, turn_clock
from tests.trades.conftest import Person, propose
from tests.webapp.helpers import ApiClient


def iso(at: object) -> str:
    return str(at).replace(" ", "T").replace("+00:00", "Z")


async def held_until(client: ApiClient, who: Person, object_id: int) -> object:
    status, body = await api(client, "GET", f"/objects/{object_id}", who)
    assert status == 200, body
    return body["held_until"]


async def test_the_object_view_says_until_when_to_everyone_who_sees_it(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    at = await received_at(db, alice.objects[0])
    assert at is not None
    until = at + timedelta(hours=HOLD_HOURS)
    # its owner (whose Transfer it stops) and anyone else (whose Trade it stops)
    for viewer in (bob, carol, alice):
        returned = await held_until(client, viewer, alice.objects[0])
        assert isinstance(returned, str)
        assert returned.replace("Z", "+00:00") == until.isoformat()
    assert await held_until(client, bob, bob.objects[1]) is None  # never moved
    await turn_clock(db, alice.objects[0], timedelta(hours=HOLD_HOURS))
    assert await held_until(client, bob, alice.objects[0]) is None


async def test_the_hold_survives_a_restart(
    aiohttp_client: object,
    client: TestClient,  # type: ignore[type-arg]
    settings: Settings,
    db: asyncpg.Connection,
    alice: Person,
    bob: Person,
    carol: Person,
) -> None:
    """Nothing in memory: a new app on the same database refuses the same way."""
    await traded(client, alice, bob, alice.objects[0], bob.objects[0])
    await client.close()
    restarted = await aiohttp_client(create_app(settings))  # type: ignore[operator]
    status, body = await propose(restarted, bob, carol, [alice.objects[0]], [])
    assert (status, body["error"]) == (409, "object_on_hold")
    assert await held_until(restarted, bob, alice.objects[0]) is not None
    await turn_clock(db, alice.objects[0], timedelta(hours=HOLD_HOURS))
    status, body = await propose(restarted, bob, carol, [alice.objects[0]], [])
    assert (status, body["status"]) == (201, "pending")
