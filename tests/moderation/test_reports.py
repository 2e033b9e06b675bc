"""Reporting an object: who may, once per person per object, bounded, and racing."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from config.settings import Settings
from gallery.moderation.reports import announce_reports
from sandbox.runner import RunningSandbox
from tests.moderation.conftest import (
    OPERATOR,
    OPERATOR_2,
    Person,
    call,
    count,
    pushes_to,
    report,
)
from tests.trades.conftest import person
from tests.webapp.helpers import ApiClient

OPEN = "SELECT count(*) FROM reports WHERE status = 'open'"


async def test_a_person_reports_an_object_they_can_see(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    status, body = await report(
        client, alice, bob.objects[0], "  stolen from my blog  ", "copyright"
    )
    assert status == 201, body
    assert body == {
        "id": body["id"], "object_id": bob.objects[0], "kind": "copyright",
        "reason": "stolen from my blog", "status": "open", "created_at": body["created_at"],
    }  # fmt: skip
    row = await db.fetchrow("SELECT reporter_id, reason, status FROM reports")
    assert row is not None
    assert dict(row) == {"reporter_id": alice.id, "reason": "stolen from my blog", "status": "open"}
    assert await pushes_to(db, bob.id) == []  # the owner is not told who reported


async def test_a_second_open_report_on_one_object_is_refused_and_writes_nothing(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    assert (await report(client, alice, bob.objects[0]))[0] == 201
    status, body = await report(client, alice, bob.objects[0], "again")
    assert (status, body) == (409, {"error": "already_reported",
                                    "detail": "you have already reported this object"})  # fmt: skip
    assert await count(db, OPEN) == 1
    assert (await report(client, alice, bob.objects[1]))[0] == 201  # another object is fine


async def test_a_report_on_an_unseen_object_is_answered_as_a_missing_one(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    response = await client.patch("/api/me", json={"privacy": "private"}, headers=bob.headers)
    assert response.status == 200
    hidden_id, missing_id = bob.objects[0], bob.objects[1] + 1000
    unseen = await report(client, alice, hidden_id)
    missing = await report(client, alice, missing_id)
    assert unseen[0] == missing[0] == 404
    assert unseen[1]["detail"].replace(str(hidden_id), "N") == missing[1]["detail"].replace(
        str(missing_id), "N"
    )
    assert unseen[1]["error"] == missing[1]["error"] == "not_found"
    assert await count(db, "SELECT count(*) FROM reports") == 0


@pytest.mark.parametrize(
    ("reason", "error"),
    [("", "reason_required"), ("   \n ", "reason_required"), ("x" * 501, "reason_too_long"),
     ("x" * 1001, "invalid"), ("bad\x00byte", "invalid")],
)  # fmt: skip
async def test_the_reason_is_required_and_bounded(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, reason: str, error: str
) -> None:
    status, body = await report(client, alice, bob.objects[0], reason)
    assert (status, body["error"]) == (400, error), body
    assert await count(db, "SELECT count(*) FROM reports") == 0


async def test_nobody_reports_their_own_object_and_strangers_must_log_in(
    client: ApiClient, db: asyncpg.Connection, bob: Person
) -> None:
    status, body = await report(client, bob, bob.objects[0])
    assert (status, body["error"]) == (400, "own_object")
    status, body = await call(client, None, "POST", f"/objects/{bob.objects[0]}/reports",
                              {"reason": "spam"})  # fmt: skip
    assert status == 401
    assert await count(db, "SELECT count(*) FROM reports") == 0


@pytest.mark.parametrize("moderation_overrides", [{"open_reports_max": 2}])
async def test_open_reports_per_person_are_capped(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, carol: Person
) -> None:
    assert (await report(client, alice, bob.objects[0]))[0] == 201
    assert (await report(client, alice, bob.objects[1]))[0] == 201
    status, body = await report(client, alice, carol.objects[0])
    assert (status, body["error"]) == (409, "too_many_reports")
    assert await count(db, OPEN) == 2


async def test_many_people_report_one_object_at_once(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, bob: Person
) -> None:
    people = [await person(client, sandbox, db, f"P{n}", 0) for n in range(8)]
    results = await asyncio.gather(*(report(client, p, bob.objects[0]) for p in people))
    assert [status for status, _ in results] == [201] * 8
    assert await count(db, OPEN) == 8


async def test_one_person_racing_double_reports_leaves_one_open_report(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    results = await asyncio.gather(*(report(client, alice, bob.objects[0]) for _ in range(8)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [409] * 7, results
    assert {b["error"] for s, b in results if s == 409} == {"already_reported"}
    assert await count(db, OPEN) == 1


async def test_after_a_dismissal_the_same_person_may_report_again(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    _, first = await report(client, alice, bob.objects[0])
    status, _ = await call(client, oper, "POST", f"/moderation/reports/{first['id']}/dismiss", {})
    assert status == 200
    assert (await report(client, alice, bob.objects[0]))[0] == 201
    assert await count(db, "SELECT count(*) FROM reports") == 2


async def test_operators_hear_of_new_reports_once_per_batch(
    client: ApiClient, db: asyncpg.Connection, settings: Settings, pool: Any,
    alice: Person, bob: Person, carol: Person, oper: Person, oper2: Person,
) -> None:  # fmt: skip
    for who, target in ((alice, bob.objects[0]), (carol, bob.objects[0]), (alice, bob.objects[1])):
        assert (await report(client, who, target))[0] == 201
    async with pool.acquire() as conn:
        assert await announce_reports(conn, settings.moderation) == 3
        assert await announce_reports(conn, settings.moderation) == 0  # nothing new: no push
    for operator in (OPERATOR, OPERATOR_2):
        assert await pushes_to(db, operator) == [{
            "kind": "reports_waiting", "count": 3, "titles": ["Bob 1", "Bob 1", "Bob 2"],
            "open_total": 3,
        }]  # fmt: skip
    assert await pushes_to(db, alice.id) == []
