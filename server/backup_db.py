"""The database half of a backup: a pg_dump of one exported snapshot, and what that snapshot
holds (rows per table, applied migrations, the media keys its photos name), so that a restore
can be checked against it. Catalog-wide counts are the backup tool's own SQL, not a domain's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from server import pgtools

_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
_MIGRATIONS = "SELECT name FROM schema_migrations ORDER BY version"
_MEDIA_KEYS = "SELECT unnest(ARRAY[original_key, preview_key, thumb_key]) FROM photos"


class RestoreRefused(Exception):
    """The target is not fit for a restore, or the restored data differs from the backup."""


@dataclass(frozen=True)
class Snapshot:
    server_version: str
    rows: dict[str, int]
    migrations: list[str]
    media_keys: set[str]


@dataclass(frozen=True)
class Dumped:
    snapshot: Snapshot
    pg_dump_major: int


async def dump_database(url: str, target: Path, pg_bin: Path | None = None) -> Dumped:
    """pg_dump while the app runs: one snapshot for the dump and for the counts beside it."""
    async with _exported_snapshot(url) as (conn, snapshot_id):
        tool = await pgtools.find_tool("pg_dump", await server_major(conn), pg_bin)
        snapshot = await read_snapshot(conn)
        await pgtools.dump(tool, url, target, snapshot_id)
    return Dumped(snapshot, tool.major)


async def restore_database(
    url: str, source: Path, dump_major: int, pg_bin: Path | None = None
) -> Snapshot:
    """pg_restore into an empty database, then what it now holds."""
    conn = await asyncpg.connect(url)
    try:
        if tables := [row[0] for row in await conn.fetch(_TABLES)]:
            raise RestoreRefused(
                f"the target database is not empty ({len(tables)} tables, e.g. {tables[0]}): "
                "restore into a new database (createdb) or drop this one first"
            )
        major = await server_major(conn)
        # pg_restore reads archives of its own and older versions only
        tool = await pgtools.find_tool("pg_restore", max(major, dump_major), pg_bin)
        await pgtools.restore(tool, url, source, major)
        return await read_snapshot(conn)
    finally:
        await conn.close()


@asynccontextmanager
async def _exported_snapshot(url: str) -> AsyncIterator[tuple[asyncpg.Connection, str]]:
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            yield conn, await conn.fetchval("SELECT pg_export_snapshot()")
    finally:
        await conn.close()


async def server_major(conn: asyncpg.Connection) -> int:
    return int(await conn.fetchval("SHOW server_version_num")) // 10000


async def read_snapshot(conn: asyncpg.Connection) -> Snapshot:
    tables = [row[0] for row in await conn.fetch(_TABLES)]
    rows = {}
    for table in tables:
        quoted = table.replace('"', '""')
        rows[table] = await conn.fetchval(f'SELECT count(*) FROM "{quoted}"')  # noqa: S608
    migrations = [r[0] for r in await conn.fetch(_MIGRATIONS)]
    keys = {row[0] for row in await conn.fetch(_MEDIA_KEYS)}
    return Snapshot(await conn.fetchval("SHOW server_version"), rows, migrations, keys)
