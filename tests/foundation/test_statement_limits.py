"""How long the app waits on PostgreSQL: a statement over database.command_timeout_s is
cancelled by the server (statement_timeout, no timer per statement in the app), an API request
over server.request_budget_s is answered 503 whatever it waits for, and a TCP connection to a
server that goes quiet is watched by the kernel (keepalives, TCP_USER_TIMEOUT)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import asyncpg
import pytest
from pytest_aiohttp import AiohttpClient

from config.settings import DatabaseSettings, Settings
from sandbox.runner import RunningSandbox
from server.app import create_app
from storage.db import CONNECTION_ERRORS, create_pool
from tests.photos.conftest import jpeg, photo_form
from tests.webapp.helpers import login


async def test_a_statement_over_the_limit_is_cancelled_by_the_server(database_url: str) -> None:
    pool = await create_pool(database_url, DatabaseSettings(command_timeout_s=0.3, pool_min=1))
    try:
        async with pool.acquire() as conn:
            assert await conn.fetchval("SHOW statement_timeout") == "300ms"
            started = time.monotonic()
            with pytest.raises(asyncpg.QueryCanceledError) as refused:
                await conn.fetchval("SELECT pg_sleep(5)")
            assert time.monotonic() - started < 2.5
            assert isinstance(refused.value, CONNECTION_ERRORS)  # answered 503, not 500
            assert await conn.fetchval("SELECT 1") == 1  # the connection is still good
    finally:
        await pool.close()


async def test_a_lock_wait_over_the_limit_is_cancelled_and_changes_nothing(
    database_url: str, db: asyncpg.Connection
) -> None:
    await db.execute("CREATE TABLE IF NOT EXISTS limit_probe (id int PRIMARY KEY, n int)")
    await db.execute("INSERT INTO limit_probe VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0")
    pool = await create_pool(database_url, DatabaseSettings(command_timeout_s=0.3, pool_min=1))
    holder = await asyncpg.connect(database_url)
    try:
        holder_tx = holder.transaction()
        await holder_tx.start()
        await holder.execute("SELECT * FROM limit_probe WHERE id = 1 FOR UPDATE")
        async with pool.acquire() as conn:
            with pytest.raises(asyncpg.QueryCanceledError):
                async with conn.transaction():
                    await conn.execute("UPDATE limit_probe SET n = n + 1 WHERE id = 1")
        await holder_tx.rollback()
        assert await db.fetchval("SELECT n FROM limit_probe WHERE id = 1") == 0
    finally:
        await holder.close()
        await pool.close()
        await db.execute("DROP TABLE limit_probe")


async def test_tcp_connections_are_watched_by_the_kernel(database_url: str) -> None:
    pool = await create_pool(database_url, DatabaseSettings(command_timeout_s=6, pool_min=1))
    try:
        async with pool.acquire() as conn:
            sock = conn._con._transport.get_extra_info("socket")  # type: ignore[attr-defined]
            if sock.family == socket.AF_UNIX:
                pytest.skip("the test database is reached over a unix socket")
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT) == 6000
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE) == 3
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT) == 3
    finally:
        await pool.close()


async def test_an_api_request_over_its_budget_is_a_503_and_the_next_one_is_served(
    aiohttp_client: AiohttpClient,
    settings: Settings,
    sandbox: RunningSandbox,
    app_port: int,
    database_url: str,
) -> None:
    budgeted = settings.model_copy(
        update={"server": settings.server.model_copy(update={"request_budget_s": 0.5})}
    )
    client = await aiohttp_client(create_app(budgeted), server_kwargs={"port": app_port})
    anna = await login(client, sandbox)
    holder = await asyncpg.connect(database_url)
    try:
        tx = holder.transaction()
        await tx.start()
        # hold Anna's settings row (or the key it would take) so her change has to wait
        await holder.execute(
            "INSERT INTO notification_settings (user_id) VALUES ($1) "
            "ON CONFLICT (user_id) DO UPDATE SET trades = notification_settings.trades",
            anna.user_id,
        )
        started = time.monotonic()
        response = await client.patch(
            "/api/me/notifications", json={"trades": False}, headers=anna.headers
        )
        waited = time.monotonic() - started
        assert response.status == 503, await response.text()
        assert (await response.json())["error"] == "unavailable"
        assert 0.4 < waited < 3
        await tx.rollback()
        await asyncio.sleep(0)
        again = await client.patch(
            "/api/me/notifications", json={"trades": False}, headers=anna.headers
        )
        assert again.status == 200, await again.text()
    finally:
        await holder.close()
    # an upload is not cut by the budget: its body streams in at the sender's pace
    form = photo_form(jpeg(3), title="Slow network")()
    body = await form.as_bytes()

    async def trickle() -> AsyncIterator[bytes]:
        step = len(body) // 8 + 1
        for start in range(0, len(body), step):
            await asyncio.sleep(0.1)  # 0.8 s in all, over the 0.5 s budget
            yield body[start : start + step]

    started = time.monotonic()
    headers = {**anna.headers, "Content-Type": form.headers["Content-Type"]}
    uploaded = await client.post("/api/photos", data=trickle(), headers=headers)
    assert uploaded.status == 201, await uploaded.text()
    assert time.monotonic() - started > 0.5
