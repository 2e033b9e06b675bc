"""`python -m gallery outbox list` and `outbox retry ID|--all-dead`: the operator's hands on pushes
that MAX refused for good (dead letters) or that wait far too long."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from typing import Any

from config.settings import Settings
from storage.db import create_pool, database_url
from storage.outbox_admin import StuckPush, requeue, stuck_pushes

OUTBOX_COMMANDS = ("outbox",)
LIST_LIMIT = 200
HEADER = f"{'id':>10}  {'user':>12}  {'kind':<6}  {'status':<7}  {'tries':>5}  {'age':>8}  error"


def add_outbox_commands(commands: Any) -> None:
    """`outbox list` and `outbox retry`, on the CLI's subparsers."""
    outbox = commands.add_parser("outbox", help="list dead-lettered or stuck pushes, requeue them")
    actions = outbox.add_subparsers(dest="outbox_action", required=True)
    listing = actions.add_parser("list", help="dead-lettered pushes and pending ones stuck")
    listing.add_argument(
        "--stuck-after", type=float, default=15.0, metavar="MINUTES",
        help="a pending push older than this counts as stuck (default 15)",
    )  # fmt: skip
    retry = actions.add_parser("retry", help="requeue pushes, due now, attempts reset to zero")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("id", type=int, nargs="?", help="the push's id, from `outbox list`")
    which.add_argument("--all-dead", action="store_true", help="every dead-lettered push")


def run_outbox_command(settings: Settings, args: argparse.Namespace) -> int:
    if args.outbox_action == "list":
        print(asyncio.run(list_stuck(settings, timedelta(minutes=args.stuck_after))))
        return 0
    requeued = asyncio.run(retry(settings, None if args.all_dead else args.id))
    if not requeued and not args.all_dead:
        print(f"error: push {args.id} is neither dead nor pending", file=sys.stderr)
        return 1
    print(f"requeued {len(requeued)} push(es)" + (f": {_ids(requeued)}" if requeued else ""))
    return 0


async def list_stuck(settings: Settings, stuck_after: timedelta) -> str:
    async with database_url(settings.database) as url:
        pool = await create_pool(url, settings.database)
        async with pool, pool.acquire() as conn:
            pushes = await stuck_pushes(conn, stuck_after, LIST_LIMIT + 1)
    return describe(pushes)


async def retry(settings: Settings, outbox_id: int | None) -> list[int]:
    async with database_url(settings.database) as url:
        pool = await create_pool(url, settings.database)
        async with pool, pool.acquire() as conn:
            return await requeue(conn, outbox_id)


def describe(pushes: list[StuckPush]) -> str:
    if not pushes:
        return "no dead or stuck pushes"
    lines = [HEADER, *(_line(push) for push in pushes[:LIST_LIMIT])]
    if len(pushes) > LIST_LIMIT:
        lines.append(f"... and more: the first {LIST_LIMIT} shown")
    return "\n".join(lines)


def _line(push: StuckPush) -> str:
    who = push.user_id if push.user_id is not None else f"chat {push.chat_id}"
    error = " ".join((push.last_error or "-").split())[:120]  # one line, whatever MAX said
    return (
        f"{push.id:>10}  {who!s:>12}  {push.kind:<6}  {push.status:<7}  {push.attempts:>5}  "
        f"{_age(push.age_s):>8}  {error}"
    )


def _age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:.0f}s"


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:20])
    return shown + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
