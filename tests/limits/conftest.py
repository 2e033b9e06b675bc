"""Small limits for the abuse-limit tests, and what a refusal must look like."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import pytest
from aiohttp import ClientResponse

from config.limits import LimitsSettings
from config.settings import Settings

Call = Callable[..., Awaitable[ClientResponse]]
# every table but the limiter's own counters and MAX's call pace (pushes being sent meanwhile):
# a refusal may count, never change anything else
TABLE_COUNTS = """
SELECT string_agg(format('SELECT %L AS name, count(*) AS rows FROM %I', tablename, tablename),
                  ' UNION ALL ')
FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('rate_counters', 'max_calls')
"""


@pytest.fixture
def limits_overrides() -> dict[str, Any]:
    """Parametrize (or override) this to set [limits] for one test."""
    return {}


@pytest.fixture
def settings(settings: Settings, limits_overrides: dict[str, Any]) -> Settings:
    limits = LimitsSettings.model_validate({**settings.limits.model_dump(), **limits_overrides})
    return settings.model_copy(update={"limits": limits})


async def table_rows(db: asyncpg.Connection) -> dict[str, int]:
    query = await db.fetchval(TABLE_COUNTS)
    return {row["name"]: row["rows"] for row in await db.fetch(query)}


async def assert_refused(response: ClientResponse, rule: str) -> None:
    body = await response.json()
    assert response.status == 429, body
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert body == {"error": "rate_limited",
                    "detail": f"too many requests ({rule}); try again in {retry_after} s"}


async def limit_holds(db: asyncpg.Connection, calls: Sequence[Call], rule: str,
                      ok: tuple[int, ...] = (200, 201, 204)) -> None:  # fmt: skip
    """Every call but the last is answered as usual; the last is refused and changes nothing."""
    for call in calls[:-1]:
        response = await call()
        assert response.status in ok, await response.text()
    before = await table_rows(db)
    await assert_refused(await calls[-1](), rule)
    assert await table_rows(db) == before
