"""Liveness and readiness for load balancers and operators."""

from __future__ import annotations

import asyncio
import logging
import time

import asyncpg
from aiohttp import web

from server.keys import DB_POOL, MEDIA_PROBE, MEDIA_STORE, MIGRATIONS
from storage.media import MediaStore, MediaUnavailable
from storage.migrate import is_current

log = logging.getLogger(__name__)

READY_TIMEOUT_S = 2.0
# a balancer probing every replica every second asks the store at most this often per replica
MEDIA_CHECK_CACHE_S = 2.0


class MediaProbe:
    """The media store's last answer to check(), kept for MEDIA_CHECK_CACHE_S."""

    def __init__(self, store: MediaStore) -> None:
        self.store = store
        self._at = -MEDIA_CHECK_CACHE_S
        self._error: str | None = None

    async def error(self) -> str | None:
        """None when the store answers; else a short reason that names no key or secret."""
        if time.monotonic() - self._at >= MEDIA_CHECK_CACHE_S:
            self._error = await self._check()
            self._at = time.monotonic()
        return self._error

    async def _check(self) -> str | None:
        try:
            async with asyncio.timeout(READY_TIMEOUT_S):
                await self.store.check()
        except MediaUnavailable as exc:
            log.warning("media store not ready: %s", exc)
            return f"{self.store.backend}: {exc.reason}"
        except TimeoutError:
            return f"{self.store.backend}: timed out"
        return None


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def database_checks(app: web.Application) -> dict[str, bool]:
    checks = {"database": False, "migrations": False}
    try:
        async with asyncio.timeout(READY_TIMEOUT_S), app[DB_POOL].acquire() as conn:
            checks["database"] = await conn.fetchval("SELECT TRUE")
            checks["migrations"] = await is_current(conn, app[MIGRATIONS])
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
        pass
    return checks


async def ready(request: web.Request) -> web.Response:
    app = request.app
    checks, media_error = await asyncio.gather(database_checks(app), app[MEDIA_PROBE].error())
    checks["media"] = media_error is None
    ok = all(checks.values())
    body: dict[str, object] = {"status": "ready" if ok else "unavailable", "checks": checks}
    if media_error is not None:
        body["errors"] = {"media": media_error}
    return web.json_response(body, status=200 if ok else 503)


def setup_health(app: web.Application) -> None:
    app[MEDIA_PROBE] = MediaProbe(app[MEDIA_STORE])
    app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
