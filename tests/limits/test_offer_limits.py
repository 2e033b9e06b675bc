"""Proposed trades, transfers and access requests: the person's rate holds, and one over it is
429 with nothing written."""

from __future__ import annotations

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.limits.conftest import limit_holds
from tests.photos.conftest import seed_object
from tests.webapp.helpers import ApiClient, LoggedIn, login

TIGHT = {"person": 2, "address": 1000}


async def people(client: ApiClient, sandbox: RunningSandbox, count: int) -> list[LoggedIn]:
    return [await login(client, sandbox, first_name=f"P{n}") for n in range(count)]


@pytest.mark.parametrize("limits_overrides", [{"trade": TIGHT}])
async def test_proposing_trades(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, *others = await people(client, sandbox, 4)
    give = [await seed_object(db, anna.user_id, f"Mine {n}") for n in range(3)]
    take = [await seed_object(db, other.user_id, "Theirs") for other in others]
    calls = [lambda g=g, t=t, o=o: client.post(
        "/api/trades", json={"recipient_id": o.user_id, "give": [g], "take": [t]},
        headers=anna.headers) for g, t, o in zip(give, take, others, strict=True)]  # fmt: skip
    await limit_holds(db, calls, "trade")


@pytest.mark.parametrize("limits_overrides", [{"transfer": TIGHT}])
async def test_transfers(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    [anna] = await people(client, sandbox, 1)
    objects = [await seed_object(db, anna.user_id, f"Mine {n}") for n in range(3)]
    calls = [lambda o=o: client.post("/api/transfers", json={"object_id": o},
                                     headers=anna.headers) for o in objects]  # fmt: skip
    await limit_holds(db, calls, "transfer")


@pytest.mark.parametrize("limits_overrides", [{"transfer": TIGHT}])
async def test_guessing_transfer_tokens(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    """Claims count too, refused ones included: tokens cannot be tried at speed."""
    [anna] = await people(client, sandbox, 1)
    calls = [lambda n=n: client.post("/api/transfers/claim", json={"token": f"guess{n}"},
                                     headers=anna.headers) for n in range(3)]  # fmt: skip
    await limit_holds(db, calls, "transfer", ok=(404, 410))


@pytest.mark.parametrize("limits_overrides", [{"profile_request": TIGHT}])
async def test_access_requests(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    anna, *owners = await people(client, sandbox, 4)
    await db.execute("UPDATE users SET privacy = 'approved' WHERE id <> $1", anna.user_id)
    calls = [lambda o=o: client.post("/api/profile-requests", json={"target_id": o.user_id},
                                     headers=anna.headers) for o in owners]  # fmt: skip
    await limit_holds(db, calls, "profile_request")
