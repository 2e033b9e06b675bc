"""python -m gallery [run|migrate|check|media copy|backup|restore|outbox]: every failure is one
clear line, never a traceback."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from bot.errors import MaxError
from config.loading import SettingsError, check_media, check_sandbox_exposure, load_settings
from config.settings import Settings
from server.app import create_app
from server.audit_cli import AUDIT_COMMANDS, add_audit_commands, run_audit_command
from server.backup_cli import BACKUP_COMMANDS, add_backup_commands, run_backup_command
from server.logs import AccessLogger, setup_logging
from server.media_cli import add_media_commands, media_command
from server.outbox_cli import OUTBOX_COMMANDS, add_outbox_commands, run_outbox_command
from storage.db import DatabaseUnavailable, create_pool, database_url
from storage.media import MediaUnavailable
from storage.migrate import MigrationError, migrate, pending_sql

log = logging.getLogger("gallery")


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (Linux, macOS): the webhook and API run markedly faster."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gallery", description=__doc__)
    parser.add_argument("--config", type=Path, default=None, help="settings file (config.toml)")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="serve the bot, the mini-app and the API (default)")
    run.add_argument("--host", default=None)
    run.add_argument("--port", type=int, default=None)
    mig = commands.add_parser("migrate", help="apply database migrations")
    mig.add_argument("--sql", action="store_true", help="print what would run, change nothing")
    commands.add_parser("check", help="validate settings and reach the database")
    add_media_commands(commands)
    add_backup_commands(commands)
    add_outbox_commands(commands)
    add_audit_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = with_command_line(load_settings(args.config), args)
        exposed = command != "migrate" and check_sandbox_exposure(settings)
        check_media(settings.media)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log.level, settings.log.format)
    if exposed:
        warn_public_sandbox(settings)
    try:
        return run_command(command, settings, args)
    except (DatabaseUnavailable, MigrationError, MediaUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SettingsError as exc:  # found by a command, not by loading (media copy's ends)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except MaxError as exc:  # at start-up: a wrong token, or MAX out of reach
        print(f"error: cannot talk to MAX at {settings.bot.api_base_url}: {exc}", file=sys.stderr)
        return 1


def run_command(command: str, settings: Settings, args: argparse.Namespace) -> int:
    if command == "run":
        return run(settings)
    if command == "migrate":
        return asyncio.run(migrate_command(settings, print_only=args.sql))
    if command == "media":
        return asyncio.run(media_command(settings, args))
    if command in BACKUP_COMMANDS:
        return run_backup_command(settings, args)
    if command in AUDIT_COMMANDS:
        return run_audit_command(settings, args)
    if command in OUTBOX_COMMANDS:
        return run_outbox_command(settings, args)
    return asyncio.run(check_command(settings))


def with_command_line(settings: Settings, args: argparse.Namespace) -> Settings:
    """`run --host/--port` over the settings."""
    given = {"host": getattr(args, "host", None), "port": getattr(args, "port", None)}
    server = settings.server.model_copy(update={k: v for k, v in given.items() if v is not None})
    return settings.model_copy(update={"server": server})


def warn_public_sandbox(settings: Settings) -> None:
    banner = "!" * 78
    log.warning(
        "\n%s\nSANDBOX MODE ON A PUBLIC INTERFACE (sandbox.allow_public = true): the app on %s "
        "and the sandbox on %s\nsign anyone in as anyone; every key derives from the public "
        "string 'sandbox-token'. Never do this on a network you do not trust.\n%s",
        banner, settings.server.host, settings.sandbox.host, banner,
    )  # fmt: skip


def run(settings: Settings) -> int:
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        runner.run(serve(settings))
    return 0


async def serve(settings: Settings) -> None:
    """Serve until SIGINT or SIGTERM. Unlike web.run_app, a start-up that fails half-way (MAX out
    of reach, say) still closes what had started: the pool, the embedded PostgreSQL."""
    app = create_app(settings)
    server = settings.server
    runner = web.AppRunner(
        app,
        handle_signals=False,
        shutdown_timeout=server.shutdown_timeout_s,
        access_log_class=AccessLogger,
        access_log=logging.getLogger("gallery.access") if server.access_log else None,
    )
    try:
        await runner.setup()
    except BaseException:
        await app.cleanup()
        raise
    try:
        await web.TCPSite(runner, server.host, server.port).start()
        log.info("serving on http://%s:%s", server.host, server.port)
        await stop_requested()
    finally:
        await runner.cleanup()


async def stop_requested() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()
    log.info("stopping")


async def migrate_command(settings: Settings, *, print_only: bool) -> int:
    async with database_url(settings.database) as url:
        pool = await create_pool(url, settings.database)
        async with pool, pool.acquire() as conn:
            if print_only:
                print(await pending_sql(conn) or "-- nothing to apply")
                return 0
            applied = await migrate(conn)
    print("applied: " + ", ".join(applied) if applied else "database is up to date")
    return 0


async def check_command(settings: Settings) -> int:
    async with database_url(settings.database) as url:
        pool = await create_pool(url, settings.database)
        async with pool, pool.acquire() as conn:
            version = await conn.fetchval("SHOW server_version")
            sql = await pending_sql(conn)
    print(f"settings ok; PostgreSQL {version} reachable")
    if sql:
        print("migrations pending: run `python -m gallery migrate`")
    return 0
