"""Operators' actions over the API: hide, restore, ban, unban, dismiss, the audit; and that
nobody else can make them or learn anything by trying."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from tests.moderation.conftest import (
    OPERATOR,
    Person,
    call,
    count,
    moderate,
    pushes_to,
    report,
)
from tests.webapp.helpers import ApiClient

AUDIT = (
    "SELECT operator_id, action, target_kind, target_id, reason FROM moderation_audit ORDER BY id"
)


async def test_operator_routes_tell_everyone_else_nothing(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    _, filed = await report(client, alice, bob.objects[0])
    missing = bob.objects[1] + 1000
    attempts = [
        ("GET", "/moderation/reports", None), ("GET", "/moderation/audit", None),
        ("POST", f"/moderation/objects/{bob.objects[0]}/hide", {"reason": "x"}),
        ("POST", f"/moderation/objects/{missing}/hide", {"reason": "x"}),
        ("POST", f"/moderation/objects/{bob.objects[0]}/restore", {"reason": "x"}),
        ("POST", f"/moderation/users/{bob.id}/ban", {"reason": "x"}),
        ("POST", f"/moderation/users/{oper.id}/ban", {"reason": "x"}),
        ("POST", f"/moderation/users/{bob.id}/unban", {"reason": "x"}),
        ("POST", f"/moderation/reports/{filed['id']}/dismiss", {}),
    ]  # fmt: skip
    for who in (alice, bob):  # the reporter and the owner alike
        for method, path, body in attempts:
            assert await call(client, who, method, path, body) == (
                404, {"error": "not_found", "detail": "there is nothing here"},
            ), path  # fmt: skip
    assert await count(db, "SELECT count(*) FROM moderation_audit") == 0
    assert await count(db, "SELECT count(*) FROM art_objects WHERE hidden_at IS NOT NULL") == 0
    assert await count(db, "SELECT count(*) FROM users WHERE banned_at IS NOT NULL") == 0
    assert (await call(client, alice, "GET", f"/objects/{bob.objects[0]}"))[0] == 200


async def test_me_says_who_is_an_operator(client: ApiClient, alice: Person, oper: Person) -> None:
    assert (await call(client, oper, "GET", "/me"))[1]["operator"] is True
    assert (await call(client, alice, "GET", "/me"))[1]["operator"] is False


async def test_hide_and_restore_with_the_owner_told_and_every_step_audited(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    _, filed = await report(client, alice, bob.objects[0])
    target = f"objects/{bob.objects[0]}"
    status, audit = await moderate(client, oper, target, "hide", "<b>nudity</b>")
    assert status == 200, audit
    assert audit == {"id": audit["id"], "operator_id": OPERATOR, "action": "hide",
                     "target_kind": "object", "target_id": bob.objects[0],
                     "reason": "<b>nudity</b>", "at": audit["at"]}  # fmt: skip
    assert (await call(client, alice, "GET", f"/objects/{bob.objects[0]}"))[0] == 404
    status, own = await call(client, bob, "GET", f"/objects/{bob.objects[0]}")
    assert (status, own["hidden"]) == (200, {"at": audit["at"], "reason": "<b>nudity</b>"})
    _, resolved = await call(client, oper, "GET", "/moderation/reports?status=resolved")
    assert [(r["id"], r["hidden"], r["title"]) for r in resolved["items"]] == [
        (filed["id"], True, "Bob 1")
    ]
    assert (await moderate(client, oper, target, "hide"))[1]["error"] == "already_hidden"
    assert (await moderate(client, oper, target, "restore", "appeal upheld"))[0] == 200
    status, shown = await call(client, alice, "GET", f"/objects/{bob.objects[0]}")
    assert (status, shown["hidden"]) == (200, None)
    assert (await moderate(client, oper, target, "restore"))[1]["error"] == "not_hidden"
    assert [n["kind"] for n in await pushes_to(db, bob.id)] == ["object_hidden", "object_restored"]
    assert (await pushes_to(db, bob.id))[0]["reason"] == "<b>nudity</b>"
    assert [tuple(r) for r in await db.fetch(AUDIT)] == [
        (OPERATOR, "hide", "object", bob.objects[0], "<b>nudity</b>"),
        (OPERATOR, "restore", "object", bob.objects[0], "appeal upheld"),
    ]
    _, listed = await call(client, oper, "GET", "/moderation/audit?limit=1")
    assert [a["action"] for a in listed["items"]] == ["restore"]


async def test_an_operator_needs_a_reason_and_a_real_target(
    client: ApiClient, db: asyncpg.Connection, bob: Person, oper: Person
) -> None:
    status, body = await moderate(client, oper, f"objects/{bob.objects[0]}", "hide", " ")
    assert (status, body["error"]) == (400, "reason_required")
    status, body = await moderate(client, oper, f"objects/{bob.objects[1] + 1000}", "hide")
    assert (status, body["error"]) == (404, "not_found")
    status, body = await moderate(client, oper, "users/424242", "ban")
    assert (status, body["error"]) == (404, "user_not_found")
    assert await count(db, "SELECT count(*) FROM moderation_audit") == 0


async def test_no_operator_bans_an_operator_or_themselves(
    client: ApiClient, db: asyncpg.Connection, oper: Person, oper2: Person
) -> None:
    for target in (oper2, oper):
        status, body = await moderate(client, oper, f"users/{target.id}", "ban")
        assert (status, body["error"]) == (403, "operator")
    assert await count(db, "SELECT count(*) FROM users WHERE banned_at IS NOT NULL") == 0


async def test_dismissing_a_report_closes_it_once(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    _, filed = await report(client, alice, bob.objects[0])
    _, listed = await call(client, oper, "GET", "/moderation/reports")
    [item] = listed["items"]
    assert (item["id"], item["reporter_id"], item["owner_id"], item["reports_on_object"]) == (
        filed["id"], alice.id, bob.id, 1)  # fmt: skip
    assert item["media"]["thumb"].startswith("/media/")
    path = f"/moderation/reports/{filed['id']}/dismiss"
    status, body = await call(client, oper, "POST", path, {"reason": "not spam"})
    assert (status, body["status"]) == (200, "dismissed")
    status, body = await call(client, oper, "POST", path, {})
    assert (status, body["error"]) == (404, "report_not_found")
    assert (await call(client, oper, "GET", "/moderation/reports"))[1] == {"items": []}
    assert [tuple(r) for r in await db.fetch(AUDIT)] == [
        (OPERATOR, "dismiss", "report", filed["id"], "not spam")
    ]


async def test_the_audit_cannot_be_rewritten(db: asyncpg.Connection, oper: Person) -> None:
    await db.execute("INSERT INTO moderation_audit (operator_id, action, target_kind, target_id,"
                     " reason) VALUES ($1, 'ban', 'user', 1, 'x')", oper.id)  # fmt: skip
    for statement in ("UPDATE moderation_audit SET reason = 'y'", "DELETE FROM moderation_audit"):
        with pytest.raises(asyncpg.RaiseError, match="cannot be changed"):
            await db.execute(statement)


async def test_two_operators_acting_at_once_leave_one_action(
    client: ApiClient, db: asyncpg.Connection, bob: Person, carol: Person, oper: Person,
    oper2: Person,
) -> None:  # fmt: skip
    target = f"objects/{bob.objects[0]}"
    hides = await asyncio.gather(*(moderate(client, who, target, "hide") for who in (oper, oper2)))
    person = f"users/{carol.id}"
    bans = await asyncio.gather(*(moderate(client, who, person, "ban") for who in (oper, oper2)))
    for results, conflict in ((hides, "already_hidden"), (bans, "already_banned")):
        assert sorted(status for status, _ in results) == [200, 409]
        assert [body["error"] for status, body in results if status == 409] == [conflict]
    actions = [r["action"] for r in await db.fetch("SELECT action FROM moderation_audit")]
    assert sorted(actions) == ["ban", "hide"]
