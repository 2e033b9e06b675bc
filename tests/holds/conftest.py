"""Trade holds on (tests/conftest.py turns them off for every other suite), people with objects,
and the clock turned by moving `received_at` back in the database: no sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

# the trade suite's people, pool and settings (with rules_overrides below), shared
from tests.trades.conftest import (  # noqa: F401 - fixtures are found by name
    Json,
    Person,
    accept,
    alice,
    bob,
    carol,
    made,
    pool,
    settings,
)
from tests.webapp.helpers import ApiClient

HOLD_HOURS = 24


@pytest.fixture
def hold_hours() -> int:
    """Parametrize this to run a test with another rules.hold_hours."""
    return HOLD_HOURS


@pytest.fixture
def rules_overrides(hold_hours: int) -> dict[str, Any]:
    """tests/trades/conftest.py's settings fixture, with the holds on."""
    return {"hold_hours": hold_hours}


async def traded(client: ApiClient, by: Person, to: Person, give: int, take: int) -> Json:
    """`by` gives `give` for `take`, and `to` accepts: both objects are now held."""
    trade = await made(client, by, to, [give], [take])
    status, body = await accept(client, to, trade)
    assert status == 200, body
    return body


async def received_at(db: asyncpg.Connection, object_id: int) -> datetime | None:
    at: datetime | None = await db.fetchval(
        "SELECT received_at FROM art_objects WHERE id = $1", object_id
    )
    return at


async def turn_clock(db: asyncpg.Connection, object_id: int, by: timedelta) -> datetime:
    """As if `by` had passed since the object was received; its new hold end."""
    at = await db.fetchval(
        "UPDATE art_objects SET received_at = received_at - $2::interval WHERE id = $1 "
        "RETURNING received_at",
        object_id,
        by,
    )
    until: datetime = at + timedelta(hours=HOLD_HOURS)
    return until


def on_hold(title: str, until: datetime, left: str) -> Json:
    """The whole refusal the API answers for a held object."""
    return {
        "error": "object_on_hold",
        "detail": f"«{title}» changed hands recently and is on hold until "
        f"{until.astimezone(UTC):%Y-%m-%d %H:%M} UTC ({left} left): an object received by a "
        "trade or transfer cannot be traded or transferred again until then",
    }


async def api(
    client: ApiClient, method: str, path: str, who: Person, body: Json | None = None
) -> tuple[int, Any]:
    response = await client.request(method, f"/api{path}", json=body, headers=who.headers)
    return response.status, await response.json()
