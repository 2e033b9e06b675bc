from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, unused_port
from pytest_aiohttp import AiohttpClient

from config.settings import Settings
from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox
from server.app import create_app
from storage.db import init_connection
from tests.dbserver import create_database, drop_database, migrated_database, postgres_server

TRUNCATE = """
SELECT 'TRUNCATE ' || string_agg(format('%I', tablename), ', ') || ' RESTART IDENTITY CASCADE'
FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
"""


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the whole run (TEST_DATABASE_URL's, else embedded).

    Its data lives in a directory of its own, not pytest's numbered temp dirs, which a second
    pytest run on the same machine may prune while this one is still using them."""
    with (
        tempfile.TemporaryDirectory(prefix="gallery-pg-") as data_dir,
        postgres_server(os.environ.get("TEST_DATABASE_URL"), Path(data_dir)) as url,
    ):
        yield url


@pytest.fixture(scope="session")
def database_url(postgres_url: str) -> Iterator[str]:
    """One database built from the migrations, shared by the run and emptied before each test."""
    with migrated_database(postgres_url) as url:
        yield url


@pytest.fixture
def scratch_database_url(postgres_url: str) -> Iterator[str]:
    """An empty database of its own, for tests of the migration runner."""
    url = create_database(postgres_url, prefix="gallery_scratch")
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection to the test database, emptied of every row first."""
    conn = await asyncpg.connect(database_url)
    await init_connection(conn)  # JSON in and out as the app's pooled connections do
    try:
        await conn.execute(await conn.fetchval(TRUNCATE))
        yield conn
    finally:
        await conn.close()


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """MAX's numbers, but webhook retries in milliseconds instead of minutes."""
    return SandboxConfig(retry_base_s=0.05, retry_factor=2.0)


@pytest.fixture
async def sandbox(sandbox_config: SandboxConfig) -> AsyncIterator[RunningSandbox]:
    """The local MAX, on a real port."""
    async with run_sandbox(sandbox_config) as running:
        yield running


@pytest.fixture
def app_port() -> int:
    return unused_port()


@pytest.fixture
def settings(
    database_url: str,
    tmp_path: Path,
    db: asyncpg.Connection,
    sandbox: RunningSandbox,
    app_port: int,
) -> Settings:
    """The app as an operator would run it, with the sandbox standing in for MAX: a token, the
    Bot API base URL, and a public URL the webhook is subscribed at."""
    return Settings(
        server={"port": app_port, "public_url": f"http://127.0.0.1:{app_port}"},
        database={"url": database_url, "pool_min": 1, "pool_max": 10},
        bot={"token": sandbox.token, "api_base_url": sandbox.base_url},
        media={"root": tmp_path / "media"},
        sandbox={"mode": "off"},
        jobs={"outbox_poll_s": 0.5},
        # trade holds off: suites pass one object on several times in a test; tests/holds
        # turns them on (docs/holds.md)
        rules={"hold_hours": 0},
    )


@pytest.fixture
async def client(
    aiohttp_client: AiohttpClient, settings: Settings, app_port: int
) -> TestClient[web.Request, web.Application]:
    """The app on the port its webhook is subscribed at."""
    return await aiohttp_client(create_app(settings), server_kwargs={"port": app_port})


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """A socket or transport left open is reported when the garbage collector finds it; collect
    after every test so the report lands on the test that leaked it, not on a later bystander."""
    yield
    gc.collect()
