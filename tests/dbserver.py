"""The PostgreSQL a test run uses: TEST_DATABASE_URL's server, or an embedded one in a temp dir."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from storage.db import EmbeddedPostgres
from storage.migrate import migrate


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(url: str, statement: str) -> None:
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def create_database(server_url: str, prefix: str = "gallery_test") -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    return with_database(server_url, name)


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _migrate(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await migrate(conn)
    finally:
        await conn.close()


@contextmanager
def postgres_server(configured_url: str | None, tmp_dir: Path) -> Iterator[str]:
    """Yield a server URL: the configured one, or an embedded server that is stopped afterwards."""
    if configured_url:
        yield configured_url
        return
    embedded = EmbeddedPostgres(tmp_dir / "pgdata")
    try:
        yield embedded.start()
    finally:
        embedded.stop()


@contextmanager
def migrated_database(server_url: str) -> Iterator[str]:
    url = create_database(server_url)
    try:
        asyncio.run(_migrate(url))
        yield url
    finally:
        drop_database(url)
