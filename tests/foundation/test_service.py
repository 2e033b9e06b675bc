from __future__ import annotations

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from gallery.app import create_app
from gallery.keys import DB_POOL
from gallery.settings import Settings
from storage.migrate import load_migrations
from tests.dbserver import with_database


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
        "checks": {"database": True, "migrations": True},
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
            "checks": {"database": True, "migrations": False},
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


async def test_not_ready_when_the_database_goes_away(
    aiohttp_client: AiohttpClient, settings: Settings, db: asyncpg.Connection
) -> None:
    client = await aiohttp_client(create_app(settings))
    name = await db.fetchval("SELECT current_database()")
    admin = await asyncpg.connect(with_database(settings.database.url, "postgres"))
    await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    try:
        # drop every connection of the app's pool; new ones are refused while the flag is off
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            name,
        )
        await client.app[DB_POOL].expire_connections()
        response = await client.get("/ready")
        assert response.status == 503
        body = await response.json()
        assert body["checks"]["database"] is False
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
