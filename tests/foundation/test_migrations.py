from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import asyncpg
import pytest

from config.settings import DatabaseSettings
from storage.db import create_pool
from storage.migrate import (
    MIGRATIONS_DIR,
    MigrationError,
    applied_checksums,
    is_current,
    load_migrations,
    migrate,
    pending_sql,
)


async def test_migrations_from_zero_then_rerun_is_a_no_op(scratch_database_url: str) -> None:
    conn = await asyncpg.connect(scratch_database_url)
    try:
        first = await migrate(conn)
        second = await migrate(conn)
        tables = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert await is_current(conn, load_migrations())
    finally:
        await conn.close()
    assert first == [m.name for m in load_migrations()]
    assert second == []
    # 15 tables of the model + schema_migrations + rate_counters (0010) + reports and
    # moderation_audit (0011) + max_calls (0015) + notification_settings, favorite_news and
    # favorite_pushes (0019) + provenance_cards (0020) + account_exports and account_deletions
    # (0021) + group_chats and group_photo_claims (0023)
    assert tables == 28


async def test_every_table_of_the_design_exists(db: asyncpg.Connection) -> None:
    rows = await db.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert {r["tablename"] for r in rows} >= {
        "users",
        "photos",
        "art_objects",
        "ownership_history",
        "trades",
        "trade_items",
        "transfers",
        "favorites",
        "profile_requests",
        "auth_sessions",
        "processed_updates",
        "outbox",
        "bot_dialogs",
        "job_rounds",
        "schema_migrations",
    }


async def test_max_ids_are_bigint_and_times_are_timestamptz(db: asyncpg.Connection) -> None:
    rows = await db.fetch(
        """SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'public'
             AND (column_name LIKE '%\\_id' OR column_name = 'id' OR column_name LIKE '%\\_at')"""
    )
    for row in rows:
        if row["column_name"].endswith("_at"):
            assert row["data_type"] == "timestamp with time zone", dict(row)
        elif row["column_name"] != "message_id" and row["table_name"] != "schema_migrations":
            assert row["data_type"] == "bigint", dict(row)


async def test_an_edited_applied_migration_is_refused(
    scratch_database_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    conn = await asyncpg.connect(scratch_database_url)
    try:
        await migrate(conn, directory)
        first = sorted(directory.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- a harmless-looking edit\n")
        with pytest.raises(MigrationError, match="was edited after it was applied"):
            await migrate(conn, directory)
        with pytest.raises(MigrationError, match="was edited"):
            await pending_sql(conn, directory)
    finally:
        await conn.close()


async def test_a_migration_unknown_to_the_code_is_refused(
    scratch_database_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, directory)
    (directory / "0999_later.sql").write_text("-- from a newer release\nSELECT 1;\n")
    conn = await asyncpg.connect(scratch_database_url)
    try:
        await migrate(conn, directory)
        with pytest.raises(MigrationError, match="does not know"):
            await migrate(conn)
    finally:
        await conn.close()


async def test_a_failing_migration_leaves_nothing_behind(
    scratch_database_url: str, tmp_path: Path
) -> None:
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_ok.sql").write_text("CREATE TABLE a (id INT);")
    (directory / "0002_broken.sql").write_text("CREATE TABLE b (id INT); SELECT no_such_fn();")
    conn = await asyncpg.connect(scratch_database_url)
    try:
        with pytest.raises(asyncpg.UndefinedFunctionError):
            await migrate(conn, directory)
        applied = await applied_checksums(conn)
        b_exists = await conn.fetchval("SELECT to_regclass('b') IS NOT NULL")
    finally:
        await conn.close()
    assert sorted(applied) == [1]
    assert b_exists is False


async def test_a_migration_longer_than_the_statement_limit_runs_to_the_end(
    scratch_database_url: str, tmp_path: Path
) -> None:
    """The pool's connections cancel statements over database.command_timeout_s (server-side
    statement_timeout); a migration is not cut short by it, and the limit is back after."""
    directory = tmp_path / "migrations"
    directory.mkdir()
    (directory / "0001_slow.sql").write_text("SELECT pg_sleep(0.8); CREATE TABLE slow (id INT);")
    pool = await create_pool(
        scratch_database_url, DatabaseSettings(command_timeout_s=0.3, pool_min=1, pool_max=1)
    )
    try:
        async with pool.acquire() as conn:
            assert await migrate(conn, directory) == ["0001_slow.sql"]
            assert await conn.fetchval("SHOW statement_timeout") == "300ms"
            assert await conn.fetchval("SELECT to_regclass('slow') IS NOT NULL") is True
    finally:
        await pool.close()


async def test_replicas_migrating_at_once_apply_each_file_once(scratch_database_url: str) -> None:
    conns = [await asyncpg.connect(scratch_database_url) for _ in range(4)]
    try:
        results = await asyncio.gather(*(migrate(c) for c in conns))
        count = await conns[0].fetchval("SELECT count(*) FROM schema_migrations")
    finally:
        for c in conns:
            await c.close()
    assert sorted(len(r) for r in results) == [0, 0, 0, len(load_migrations())]
    assert count == len(load_migrations())


async def test_sql_preview_changes_nothing(scratch_database_url: str) -> None:
    conn = await asyncpg.connect(scratch_database_url)
    try:
        sql = await pending_sql(conn)
        tables = await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname='public'")
    finally:
        await conn.close()
    assert sql.startswith("-- 0001_initial.sql\n")
    assert "CREATE TABLE art_objects" in sql
    assert tables == 0
