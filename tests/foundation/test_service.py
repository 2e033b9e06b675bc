from __future__ import annotations

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from config.settings import Settings
from server.app import create_app
from storage.migrate import load_migrations
from tests.dbproxy import DatabaseProxy


async def test_health_answers_without_the_database(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}
    assert len(response.headers["X-Request-Id"]) == 32


async def test_ready_when_database_reachable_and_migrations_current(
    client: TestClient[web.Request, web.Application],
) -> None:
    response = await client.get("/ready", headers={"X-Request-Id": "probe-1"})
    assert response.status == 200
    assert await response.json() == {
        "status": "ready",
        "checks": {"database": True, "migrations": True, "media": True},
    }
    assert response.headers["X-Request-Id"] == "probe-1"


async def test_not_ready_when_a_migration_is_missing(
    client: TestClient[web.Request, web.Application], db: asyncpg.Connection
) -> None:
    await db.execute("DELETE FROM schema_migrations")
    try:
        response = await client.get("/ready")
        assert response.status == 503
        assert await response.json() == {
            "status": "unavailable",
            "checks": {"database": True, "migrations": False, "media": True},
        }
    finally:
        await db.execute("DELETE FROM schema_migrations")
        for m in load_migrations():
            await db.execute(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                m.version,
                m.name,
                m.checksum,
            )


# asyncpg does not close the transport of a connection whose start-up handshake is cut off, and
# this test cuts the database away at arbitrary moments; its garbage collector then reports the
# socket. That is the simulated outage, not a leak of ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_not_ready_while_the_database_is_away(
    aiohttp_client: AiohttpClient, settings: Settings, app_port: int
) -> None:
    proxy = DatabaseProxy(settings.database.url)
    await proxy.start()
    proxied = settings.model_copy(
        update={"database": settings.database.model_copy(update={"url": proxy.url})}
    )
    client = await aiohttp_client(create_app(proxied), server_kwargs={"port": app_port})
    try:
        await proxy.cut()
        response = await client.get("/ready")
        assert response.status == 503
        assert await response.json() == {
            "status": "unavailable",
            "checks": {"database": False, "migrations": False, "media": True},
        }
        assert (await client.get("/health")).status == 200
        await proxy.restore()
        response = await client.get("/ready")
        assert response.status == 200
    finally:
        await proxy.cut()


def test_access_log_lines_never_carry_tokens_or_signatures() -> None:
    from server.logs import redact

    assert redact("/api/transfers/by-token/abcDEF_-123") == "/api/transfers/by-token/***"
    assert (
        redact("/api/transfers/5/qr.png?token=x_y-z&w=1") == "/api/transfers/5/qr.png?token=***&w=1"
    )
    assert redact("/media/1/thumb.webp?exp=9&sig=ab12") == "/media/1/thumb.webp?exp=9&sig=***"
    assert redact("/api/objects?q=token") == "/api/objects?q=token"
