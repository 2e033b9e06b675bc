"""GET /api/objects/{id}/history: created → transferred → traded, oldest first, in words."""

from __future__ import annotations

import asyncpg

from tests.transfers.conftest import Person, call, claim, create
from tests.webapp.helpers import ApiClient


async def test_the_timeline_after_create_transfer_and_trade(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person, eve: Person
) -> None:
    object_id = anna.objects[0]
    await db.execute(
        "INSERT INTO ownership_history (object_id, to_user_id, reason, created_at) "
        "VALUES ($1, $2, 'created', now() - interval '1 hour')",
        object_id,
        anna.id,
    )
    created = await create(client, anna)
    assert (await claim(client, bob, created["token"]))[0] == 200
    # the trade, as trades record it: the object moves under a trade's id
    await db.execute(
        "UPDATE art_objects SET owner_id = $2, version = version + 1 WHERE id = $1",
        object_id,
        eve.id,
    )
    await db.execute(
        "INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason, "
        "reference_id, created_at) VALUES ($1, $2, $3, 'trade', 42, now() + interval '1 second')",
        object_id,
        bob.id,
        eve.id,
    )
    status, events = await call(client, "GET", f"/objects/{object_id}/history", bob)
    assert status == 200
    times = [e.pop("at") for e in events]
    assert times == sorted(times)
    assert events == [
        {"event": "created", "from": None, "to": {"id": anna.id, "name": "Anna"},
         "text": "Created by Anna"},
        {"event": "transfer", "from": {"id": anna.id, "name": "Anna"},
         "to": {"id": bob.id, "name": "Bob"}, "text": "Transferred to Bob"},
        {"event": "trade", "from": {"id": bob.id, "name": "Bob"},
         "to": {"id": eve.id, "name": "Eve"}, "text": "Traded with Eve"},
    ]  # fmt: skip


async def test_history_speaks_the_asked_language_and_needs_no_login(
    client: ApiClient, db: asyncpg.Connection, anna: Person
) -> None:
    object_id = anna.objects[0]
    await db.execute(
        "INSERT INTO ownership_history (object_id, to_user_id, reason) VALUES ($1, $2, 'created')",
        object_id,
        anna.id,
    )
    status, events = await call(client, "GET", f"/objects/{object_id}/history", None)
    assert (status, [e["text"] for e in events]) == (200, ["Created by Anna"])
    status, events = await call(client, "GET", f"/objects/{object_id}/history?lang=ru", None)
    assert (status, [e["text"] for e in events]) == (200, ["Создан: Anna"])


async def test_history_of_no_such_object_is_a_404(client: ApiClient, anna: Person) -> None:
    status, refused = await call(client, "GET", "/objects/999999/history", anna)
    assert (status, refused["error"]) == (404, "not_found")
