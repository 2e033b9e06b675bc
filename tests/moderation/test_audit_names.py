"""GET /api/moderation/audit names who acted and on whom or what (ids kept), as they are now: a
person's name, an object's title, a dismissed report's object's title; null once it is gone."""

from __future__ import annotations

import asyncpg
from jsonschema import Draft202012Validator

from sandbox.runner import RunningSandbox
from tests.moderation.conftest import OPERATOR, Person, call, moderate, report
from tests.trades.conftest import person
from tests.webapp.helpers import ApiClient

HOSTILE = '<img src=x onerror="alert(1)">Eve'
NAMES = ("operator_id", "operator_name", "action", "target_kind", "target_id", "target_name")


async def audit(client: ApiClient, oper: Person) -> list[dict[str, object]]:
    status, body = await call(client, oper, "GET", "/moderation/audit")
    assert status == 200, body
    return list(body["items"])


async def test_the_audit_names_the_operator_and_each_target(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection,
    alice: Person, bob: Person, oper: Person,
) -> None:  # fmt: skip
    eve = await person(client, sandbox, db, HOSTILE, 1)
    _, filed = await report(client, alice, bob.objects[0])
    await call(client, oper, "POST", f"/moderation/reports/{filed['id']}/dismiss", {})
    assert (await moderate(client, oper, f"objects/{eve.objects[0]}", "hide"))[0] == 200
    assert (await moderate(client, oper, f"users/{eve.id}", "ban"))[0] == 200
    assert (await moderate(client, oper, f"users/{eve.id}", "unban"))[0] == 200

    items = await audit(client, oper)
    assert [tuple(item[k] for k in NAMES) for item in items] == [
        (OPERATOR, "Oper", "unban", "user", eve.id, HOSTILE),
        (OPERATOR, "Oper", "ban", "user", eve.id, HOSTILE),
        (OPERATOR, "Oper", "hide", "object", eve.objects[0], f"{HOSTILE} 1"),
        (OPERATOR, "Oper", "dismiss", "report", filed["id"], "Bob 1"),
    ]  # the text as it was written: escaping it is the screen's business
    assert set(items[0]) == {"id", "reason", "at", *NAMES}


async def test_what_is_gone_is_named_null_and_the_ids_stay(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person, oper: Person
) -> None:
    _, filed = await report(client, alice, bob.objects[0])
    await call(client, oper, "POST", f"/moderation/reports/{filed['id']}/dismiss", {})
    assert (await moderate(client, oper, f"objects/{bob.objects[1]}", "hide"))[0] == 200
    for object_id in bob.objects:  # never moved: the owner may delete them, hidden or not
        gone = await client.delete(f"/api/objects/{object_id}", headers=bob.headers)
        assert gone.status == 204
    await db.execute(  # an operator who never opened the bot has no user row
        "INSERT INTO moderation_audit (operator_id, action, target_kind, target_id, reason)"
        " VALUES (424242, 'ban', 'user', $1, 'x')",
        bob.id,
    )
    items = await audit(client, oper)
    assert [tuple(item[k] for k in NAMES) for item in items] == [
        (424242, None, "ban", "user", bob.id, "Bob"),
        (OPERATOR, "Oper", "hide", "object", bob.objects[1], None),
        (OPERATOR, "Oper", "dismiss", "report", filed["id"], None),
    ]


async def test_the_document_promises_the_names_and_the_answer_keeps_it(
    client: ApiClient, alice: Person, bob: Person, oper: Person
) -> None:
    await moderate(client, oper, f"objects/{bob.objects[0]}", "hide")
    doc = await (await client.get("/api/openapi.json")).json()
    answer = doc["paths"]["/api/moderation/audit"]["get"]["responses"]["200"]["content"]
    schema = {**answer["application/json"]["schema"], "components": doc["components"]}
    _, body = await call(client, oper, "GET", "/moderation/audit")
    Draft202012Validator(schema).validate(body)
    entry = doc["components"]["schemas"]["AuditEntryOut"]
    assert {"operator_name", "target_name"} <= set(entry["required"])
    assert "null when it is gone" in entry["properties"]["target_name"]["description"]
    assert "no account" in entry["properties"]["operator_name"]["description"]
