"""GET and PATCH /api/me/notifications: the defaults, a change of one switch, every refusal a
400 that changes nothing, only ever one's own, and the column defaults the same as the code's."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from gallery.notices.settings import DEFAULTS
from sandbox.runner import RunningSandbox
from tests.notifications.conftest import DEFAULTS as SHOWN_DEFAULTS
from tests.notifications.conftest import Person, call, switch
from tests.trades.conftest import person
from tests.webapp.helpers import ApiClient

PATH = "/me/notifications"


async def test_defaults_until_changed_then_only_the_named_switch_moves(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await person(client, sandbox, db, "Alice", 0)
    assert await call(client, alice, "GET", PATH) == (200, SHOWN_DEFAULTS)
    assert DEFAULTS.model_dump() == SHOWN_DEFAULTS
    assert await switch(client, alice, trades=False) == {**SHOWN_DEFAULTS, "trades": False}
    assert await switch(client, alice, favorites=True, moderation=False) == {
        **SHOWN_DEFAULTS, "trades": False, "favorites": True, "moderation": False,
    }  # fmt: skip
    assert await switch(client, alice, trades=True) == {
        **SHOWN_DEFAULTS, "favorites": True, "moderation": False,
    }  # fmt: skip
    assert await call(client, alice, "GET", PATH) == (
        200, {**SHOWN_DEFAULTS, "favorites": True, "moderation": False}
    )  # fmt: skip


async def test_the_tables_defaults_are_the_codes(db: asyncpg.Connection) -> None:
    await db.execute("INSERT INTO users (id, first_name) VALUES (1, 'A')")
    row = await db.fetchrow(
        "INSERT INTO notification_settings (user_id) VALUES (1)"
        " RETURNING trades, transfers, requests, favorites, moderation"
    )
    assert row is not None
    assert dict(row) == DEFAULTS.model_dump()


def invalid(loc: str, msg: str, kind: str) -> dict[str, Any]:
    return {"error": "invalid", "detail": [{"loc": ["body", loc], "msg": msg, "type": kind}]}


@pytest.mark.parametrize(
    "body",
    [
        {"likes": False},  # a kind there is no switch for
        {"trades": "false"},
        {"trades": 0},
        {"trades": None},
        {"trades": False, "user_id": 2},
        {},
        [False],
    ],
)
async def test_a_refused_body_is_400_and_changes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, body: Any
) -> None:
    alice = await person(client, sandbox, db, "Alice", 0)
    await switch(client, alice, favorites=True)
    status, answer = await call(client, alice, "PATCH", PATH, body)
    assert status == 400, answer
    assert answer["error"] == "invalid"
    assert await call(client, alice, "GET", PATH) == (200, {**SHOWN_DEFAULTS, "favorites": True})
    assert await db.fetchval("SELECT count(*) FROM notification_settings") == 1


async def test_a_body_that_is_not_json_is_refused(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await person(client, sandbox, db, "Alice", 0)
    response = await client.patch(
        f"/api{PATH}", data="trades=false",
        headers={**alice.headers, "Content-Type": "application/json"},
    )  # fmt: skip
    assert response.status == 400
    assert await db.fetchval("SELECT count(*) FROM notification_settings") == 0


async def test_nobody_reads_or_changes_anothers_switches(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await person(client, sandbox, db, "Alice", 0)
    mallory = await person(client, sandbox, db, "Mallory", 0)
    await switch(client, alice, trades=False)
    # the routes take no user id: a stranger's call reads and writes only their own row
    assert await call(client, mallory, "GET", PATH) == (200, SHOWN_DEFAULTS)
    await switch(client, mallory, transfers=False)
    for path in (f"/users/{alice.id}/notifications", f"/me/notifications/{alice.id}"):
        assert (await call(client, mallory, "GET", path))[0] == 404
        assert (await call(client, mallory, "PATCH", path, {"trades": True}))[0] == 404
    status, answer = await call(client, mallory, "PATCH", PATH, {"user_id": alice.id})
    assert status == 400, answer
    assert await call(client, alice, "GET", PATH) == (200, {**SHOWN_DEFAULTS, "trades": False})
    for method, body in (("GET", None), ("PATCH", {"trades": True})):
        status, answer = await call(client, None, method, PATH, body)
        assert status == 401, answer
    assert await call(client, alice, "GET", PATH) == (200, {**SHOWN_DEFAULTS, "trades": False})


async def test_changes_are_rate_limited_per_person(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice: Person = await person(client, sandbox, db, "Alice", 0)
    limit = 60  # [limits] notification_settings.person
    answers = [(await call(client, alice, "PATCH", PATH, {"trades": n % 2 == 0}))[0]
               for n in range(limit + 1)]  # fmt: skip
    assert answers == [200] * limit + [429]
    # the last accepted turned trades off; the refused one, asking for on, changed nothing
    assert await call(client, alice, "GET", PATH) == (200, {**SHOWN_DEFAULTS, "trades": False})


async def test_changes_racing_each_other_are_all_kept(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    alice = await person(client, sandbox, db, "Alice", 0)
    flipped = {kind: not on for kind, on in SHOWN_DEFAULTS.items()}
    answers = await asyncio.gather(
        *[call(client, alice, "PATCH", PATH, {kind: on}) for kind, on in flipped.items()]
    )
    assert [status for status, _ in answers] == [200] * len(flipped)
    assert await call(client, alice, "GET", PATH) == (200, flipped)
