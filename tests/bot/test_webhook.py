"""Every way into the webhook that must be refused or ignored, and idempotent ingest."""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

import asyncpg
import orjson
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.webhook import SECRET_HEADER
from sandbox.runner import RunningSandbox
from server.keys import SETTINGS
from tests.bot.helpers import settle, wait_for_bot_messages

Client = TestClient[web.Request, web.Application]
PATH = "/max/webhook"


def message_update(user_id: int, chat_id: int, text: str, mid: str) -> dict[str, Any]:
    now = int(time.time() * 1000)
    return {
        "update_type": "message_created",
        "timestamp": now,
        "user_locale": "en",
        "message": {
            "sender": {"user_id": user_id, "first_name": "Raw", "is_bot": False},
            "recipient": {"chat_id": chat_id, "chat_type": "dialog", "user_id": 229229229},
            "timestamp": now,
            "body": {"mid": mid, "seq": 1, "text": text},
        },
    }


def secret(client: Client) -> dict[str, str]:
    return {SECRET_HEADER: client.app[SETTINGS].webhook_secret}


async def rows(db: asyncpg.Connection) -> dict[str, int]:
    counts = {}
    for table in ("processed_updates", "outbox", "users"):
        counts[table] = await db.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608
    return counts


NOTHING = {"processed_updates": 0, "outbox": 0, "users": 0}


async def test_the_subscription_carries_the_secret(client: Client, sandbox: RunningSandbox) -> None:
    subscription = sandbox.state.subscription
    assert subscription is not None
    assert subscription.url == f"{client.app[SETTINGS].server.public_url}{PATH}"
    assert subscription.secret == client.app[SETTINGS].webhook_secret


async def test_wrong_or_missing_secret_is_refused_and_writes_nothing(
    client: Client, db: asyncpg.Connection
) -> None:
    body = message_update(1, 11, "/start", "mid.a1")
    for headers in ({}, {SECRET_HEADER: "wrong-secret"}, {SECRET_HEADER: ""}):
        response = await client.post(PATH, json=body, headers=headers)
        assert response.status == 401
        assert await response.json() == {
            "error": "unauthorized",
            "detail": "wrong or missing X-Max-Bot-Api-Secret",
        }
    assert await rows(db) == NOTHING


async def test_malformed_json_is_refused_and_writes_nothing(
    client: Client, db: asyncpg.Connection
) -> None:
    for raw, detail in (
        (b"{not json", "the body is not JSON"),
        (b"[1, 2]", "the body is not a JSON object"),
        (b"", "the body is not JSON"),
    ):
        response = await client.post(PATH, data=raw, headers=secret(client))
        assert response.status == 400
        assert await response.json() == {"error": "malformed", "detail": detail}
    assert await rows(db) == NOTHING


async def test_an_oversized_body_is_refused_and_writes_nothing(
    client: Client, db: asyncpg.Connection
) -> None:
    limit = client.app[SETTINGS].bot.webhook_max_body_bytes
    body = message_update(1, 11, "x" * (limit + 10), "mid.big")
    response = await client.post(PATH, data=io.BytesIO(orjson.dumps(body)), headers=secret(client))
    assert response.status == 413
    assert (await response.json())["error"] == "too_large"

    async def chunks() -> Any:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    response = await client.post(PATH, data=chunks(), headers=secret(client))
    assert response.status == 413
    assert await rows(db) == NOTHING


async def test_an_unknown_update_type_is_acknowledged_and_ignored(
    client: Client, db: asyncpg.Connection
) -> None:
    body = {"update_type": "hologram_projected", "timestamp": 1, "hologram": {"id": 7}}
    response = await client.post(PATH, json=body, headers=secret(client))
    assert response.status == 200
    assert await response.json() == {"ok": True}
    assert await rows(db) == NOTHING


async def test_a_redelivered_update_has_one_effect(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    created = await sandbox.control.create_user("Bob", language_code="en")
    user_id, chat_id = created["user"]["user_id"], created["chat_id"]
    body = message_update(user_id, chat_id, "/help", "mid.twice")
    for _ in range(2):
        response = await client.post(PATH, json=body, headers=secret(client))
        assert response.status == 200
    await wait_for_bot_messages(sandbox.control, user_id)
    assert len(await settle(sandbox.control, user_id)) == 1
    assert await rows(db) == {"processed_updates": 1, "outbox": 1, "users": 1}


async def test_ten_sequential_and_thirty_concurrent_deliveries_have_one_effect(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    created = await sandbox.control.create_user("Bob", language_code="en")
    user_id, chat_id = created["user"]["user_id"], created["chat_id"]
    first = message_update(user_id, chat_id, "/help", "mid.ten")
    for _ in range(10):
        assert (await client.post(PATH, json=first, headers=secret(client))).status == 200
    second = message_update(user_id, chat_id, "/start", "mid.race")
    responses = await asyncio.gather(
        *(client.post(PATH, json=second, headers=secret(client)) for _ in range(30))
    )
    assert [r.status for r in responses] == [200] * 30
    messages = await wait_for_bot_messages(sandbox.control, user_id, 2)
    assert len(await settle(sandbox.control, user_id)) == 2
    assert [m["text"].split()[0] for m in messages] == ["What", "Hello,"]
    assert await rows(db) == {"processed_updates": 2, "outbox": 2, "users": 1}


async def test_sandbox_duplicate_deliveries_have_one_effect(
    client: Client, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = (await sandbox.control.create_user("Bob", language_code="en"))["user"]["user_id"]
    await sandbox.control.inject_fault("webhook_duplicates", count=5)
    await sandbox.control.send_text(user_id, "/help")
    await wait_for_bot_messages(sandbox.control, user_id)
    assert len(await settle(sandbox.control, user_id)) == 1
    deliveries = await sandbox.control.webhook_deliveries()
    assert len([d for d in deliveries if d.get("status") == 200]) >= 2
    assert await db.fetchval("SELECT count(*) FROM processed_updates") == 1
