"""Forward-only numbered SQL migrations, each in its own transaction, under an advisory lock."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from storage.db import Connection

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
# Any constant shared by every replica: they all serialise on it at start.
ADVISORY_LOCK_KEY = 0x6D61_7867_616C  # "maxgal"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

CREATE_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    checksum    TEXT NOT NULL,
    applied_at  TIMESTAMPTZ NOT NULL DEFAULT now()
)
"""


class MigrationError(Exception):
    """The database and the migration files disagree; refuse to start."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_what.sql")
        found.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"two migration files share a number in {directory}")
    return found


async def applied_checksums(conn: Connection) -> dict[int, tuple[str, str]]:
    exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
    if not exists:
        return {}
    rows = await conn.fetch("SELECT version, name, checksum FROM schema_migrations")
    return {row["version"]: (row["name"], row["checksum"]) for row in rows}


def pending(migrations: list[Migration], applied: dict[int, tuple[str, str]]) -> list[Migration]:
    """Migrations still to run; raise if an applied one was edited or is unknown to this code."""
    known = {m.version: m for m in migrations}
    for version, (name, checksum) in sorted(applied.items()):
        migration = known.get(version)
        if migration is None:
            raise MigrationError(f"the database has {name}, which this code does not know")
        if migration.checksum != checksum:
            raise MigrationError(
                f"{migration.name} was edited after it was applied "
                f"(checksum {checksum[:12]} in the database, {migration.checksum[:12]} on disk); "
                "write a new migration instead"
            )
    return [m for m in migrations if m.version not in applied]


async def migrate(conn: Connection, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the names applied. Safe to run from several replicas."""
    migrations = load_migrations(directory)
    # no statement limit (database.command_timeout_s) here: a backfill on a big database, or a
    # replica waiting its turn for the lock, must not be cancelled half-way; the connection
    # gets its limit back before it returns to the pool
    await conn.execute("SET statement_timeout = 0")
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", ADVISORY_LOCK_KEY)
        try:
            await conn.execute(CREATE_TABLE)
            todo = pending(migrations, await applied_checksums(conn))
            for migration in todo:
                await _apply(conn, migration)
            return [m.name for m in todo]
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", ADVISORY_LOCK_KEY)
    finally:
        await conn.execute("RESET statement_timeout")


async def _apply(conn: Connection, migration: Migration) -> None:
    async with conn.transaction():
        await conn.execute(migration.sql)
        await conn.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            migration.version,
            migration.name,
            migration.checksum,
        )
    log.info("applied migration %s", migration.name)


async def pending_sql(conn: Connection, directory: Path = MIGRATIONS_DIR) -> str:
    """The SQL that `migrate` would run now, for review."""
    todo = pending(load_migrations(directory), await applied_checksums(conn))
    return "\n".join(f"-- {m.name}\n{m.sql}" for m in todo)


async def is_current(conn: Connection, migrations: list[Migration]) -> bool:
    try:
        return not pending(migrations, await applied_checksums(conn))
    except MigrationError:
        return False
