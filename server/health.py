"""Liveness and readiness for load balancers and operators."""

from __future__ import annotations

import asyncio

import asyncpg
from aiohttp import web

from server.keys import DB_POOL, MIGRATIONS
from storage.migrate import is_current

READY_TIMEOUT_S = 2.0


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def ready(request: web.Request) -> web.Response:
    checks = {"database": False, "migrations": False}
    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            async with request.app[DB_POOL].acquire() as conn:
                checks["database"] = await conn.fetchval("SELECT TRUE")
                checks["migrations"] = await is_current(conn, request.app[MIGRATIONS])
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
        pass
    ok = all(checks.values())
    return web.json_response(
        {"status": "ready" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


def setup_health(app: web.Application) -> None:
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
