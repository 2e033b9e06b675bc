"""`backup` and `restore` on the command line: what they print, and each refusal as one line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import asyncpg
import pytest

from config.settings import Settings
from server.backup_cli import add_backup_commands, run_backup_command


def command(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_backup_commands(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.fixture
def settings(database_url: str, db: asyncpg.Connection, tmp_path: Path) -> Settings:
    return Settings(database={"url": database_url}, media={"root": tmp_path / "media"})


def test_a_backup_says_what_it_holds(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_backup_command(settings, command("backup", str(tmp_path / "b"))) == 0
    database, media = capsys.readouterr().out.splitlines()
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    rows = manifest["database"]["rows"]  # only the migrations: the db fixture emptied the rest
    migrations = manifest["database"]["migrations"]
    assert sum(rows.values()) == rows["schema_migrations"] == len(migrations)
    assert database.startswith(f"database: {sum(rows.values())} rows in {len(rows)} tables, ")
    assert media.startswith("media: 0 objects, 0 bytes from the local store in ")


def test_a_backup_never_writes_into_a_directory_with_files(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("mine")
    assert run_backup_command(settings, command("backup", str(tmp_path / "b"))) == 1
    expected = f"error: {tmp_path / 'b'} is not empty: back up into a new directory\n"
    assert capsys.readouterr().err == expected


def test_a_restore_refuses_a_database_with_tables(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_backup_command(settings, command("backup", str(tmp_path / "b"))) == 0
    assert run_backup_command(settings, command("restore", str(tmp_path / "b"))) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: the target database is not empty (")
    assert "restore into a new database (createdb) or drop this one first" in error


def test_a_restore_needs_a_manifest(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "half").mkdir()
    assert run_backup_command(settings, command("restore", str(tmp_path / "half"))) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'half'}: no manifest.json, so not a complete backup\n"
    )
