"""Logging a sandbox user into the mini-app API, for any test that needs a logged-in caller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
from aiohttp import web
from aiohttp.test_utils import TestClient

from sandbox.control import Variant
from sandbox.runner import RunningSandbox

ApiClient = TestClient[web.Request, web.Application]


@dataclass(frozen=True)
class LoggedIn:
    user_id: int
    access_token: str
    refresh_token: str
    headers: dict[str, str]
    body: dict[str, Any]


async def launch_init_data(
    sandbox: RunningSandbox,
    *,
    first_name: str = "Anna",
    language_code: str = "ru",
    user_id: int | None = None,
    start_param: str | None = None,
    variant: Variant = "valid",
) -> tuple[int, str]:
    """A sandbox user (created unless `user_id` is already one) and their signed launch data."""
    if user_id is None or user_id not in sandbox.state.users:
        created = await sandbox.control.create_user(
            first_name, user_id=user_id, language_code=language_code
        )
        user_id = int(created["user"]["user_id"])
    launch = await sandbox.control.launch_data(user_id, start_param, variant)
    return user_id, str(launch["init_data"])


async def login(
    client: ApiClient,
    sandbox: RunningSandbox,
    *,
    first_name: str = "Anna",
    language_code: str = "ru",
    user_id: int | None = None,
    start_param: str | None = None,
) -> LoggedIn:
    """Open the mini-app as a sandbox user (a new one unless `user_id` names one) and log in."""
    user_id, init_data = await launch_init_data(
        sandbox, first_name=first_name, language_code=language_code, user_id=user_id,
        start_param=start_param,
    )
    response = await client.post("/api/auth", json={"init_data": init_data})
    body = await response.json()
    assert response.status == 200, body
    return LoggedIn(
        user_id=user_id,
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        headers={"Authorization": f"Bearer {body['access_token']}"},
        body=body,
    )


async def count_rows(db: asyncpg.Connection, table: str) -> int:
    count: int = await db.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 - our tables
    return count
