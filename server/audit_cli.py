"""`python -m gallery audit [--limit N]`: what operators did (gallery/moderation/), newest
first, one line each: when, who, what, to what, why."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import UTC
from typing import Any

from config.settings import Settings
from storage.db import create_pool, database_url
from storage.moderation import AuditRow, audit_log

AUDIT_COMMANDS = ("audit",)
HEADER = f"{'at (UTC)':<19}  {'operator':>12}  {'action':<7}  {'target':<20}  reason"


def add_audit_commands(commands: Any) -> None:
    audit = commands.add_parser("audit", help="print what operators did, newest first")
    audit.add_argument("--limit", type=int, default=50, help="rows to print (default 50)")


def run_audit_command(settings: Settings, args: argparse.Namespace) -> int:
    print(describe(asyncio.run(read_audit(settings, max(1, min(args.limit, 10_000))))))
    return 0


async def read_audit(settings: Settings, limit: int) -> Sequence[AuditRow]:
    async with database_url(settings.database) as url:
        pool = await create_pool(url, settings.database)
        async with pool, pool.acquire() as conn:
            return await audit_log(conn, limit)


def describe(rows: Sequence[AuditRow]) -> str:
    if not rows:
        return "no operator actions yet"
    return "\n".join([HEADER, *(_line(row) for row in rows)])


def _line(row: AuditRow) -> str:
    when = row.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    target = f"{row.target_kind} {row.target_id}"
    reason = " ".join(row.reason.split()) or "-"  # one line, whatever the operator wrote
    return f"{when:<19}  {row.operator_id:>12}  {row.action:<7}  {target:<20}  {reason}"
