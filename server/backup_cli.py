"""`python -m gallery backup DIR` and `restore DIR`: server/backup.py behind the command line,
each failure one line on stderr."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from config.settings import Settings
from server.backup import BackupError, Manifest, Restored, back_up, restore
from server.backup_db import RestoreRefused
from server.backup_media import MediaCorrupt
from server.pgtools import ToolError
from storage.db import DatabaseUnavailable
from storage.media import MediaUnavailable

BACKUP_COMMANDS = ("backup", "restore")
_FAILURES = (
    BackupError, RestoreRefused, MediaCorrupt, ToolError, MediaUnavailable, DatabaseUnavailable,
    OSError,
)  # fmt: skip


def add_backup_commands(commands: Any) -> None:
    """The two subcommands, on the CLI's subparsers."""
    backup = commands.add_parser(
        "backup", help="dump the database and copy its media into a new directory"
    )
    backup.add_argument("directory", type=Path)
    restore_ = commands.add_parser(
        "restore", help="put a backup into the configured (empty) database and media store"
    )
    restore_.add_argument("directory", type=Path)
    for parser in (backup, restore_):
        parser.add_argument(
            "--pg-bin", type=Path, default=None,
            help="directory with pg_dump / pg_restore / psql to use (default: found)",
        )  # fmt: skip


def run_backup_command(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.command == "backup":
            print(backup_summary(asyncio.run(back_up(settings, args.directory, args.pg_bin))))
        else:
            print(restore_summary(asyncio.run(restore(settings, args.directory, args.pg_bin))))
    except _FAILURES as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def backup_summary(manifest: Manifest) -> str:
    db, media = manifest.database, manifest.media
    lines = [
        f"database: {sum(db.rows.values())} rows in {len(db.rows)} tables, "
        f"{db.bytes} bytes dumped from PostgreSQL {db.server_version} "
        f"by pg_dump {db.pg_dump_major} in {manifest.seconds['dump']} s",
        f"media: {media.objects} objects, {media.bytes} bytes from the {media.backend} store "
        f"in {manifest.seconds['media']} s",
    ]
    if media.missing:
        lines.append(f"warning: {len(media.missing)} objects were deleted while copying: "
                     + ", ".join(media.missing[:5]))  # fmt: skip
    return "\n".join(lines)


def restore_summary(restored: Restored) -> str:
    return (
        f"media: {restored.media_objects} objects checked, {restored.media_bytes_written} bytes "
        f"written in {restored.seconds['media']} s\n"
        f"database: {sum(restored.rows.values())} rows in {len(restored.rows)} tables, as the "
        f"manifest says, restored in {restored.seconds['restore']} s"
    )
