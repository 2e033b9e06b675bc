"""Data exports: asked for in the chat or the mini-app, built in the background by whichever
replica claims the row first, sent as a chat file or downloaded by a signed link, and deleted
when they expire (docs/account-deletion.md, "Export")."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from math import ceil
from typing import Literal

import asyncpg

from config.account import AccountSettings
from gallery.account.archive import TooLarge, build_zip, read_content
from gallery.limits import RateLimited
from gallery.notices import NOTICE_KEY
from gallery.notices.kinds import ExportDone
from gallery.objects.edit import delete_files
from storage import exports
from storage.db import Connection
from storage.errors import DomainError
from storage.exports import Deliver, ExportRow, Failure
from storage.media import MediaStore, MediaUnavailable
from storage.media.keys import export_key
from storage.outbox_queue import enqueue_notice

log = logging.getLogger(__name__)
ExportOutcome = Literal["attached", "link_only", "too_large", "failed"]
FILE_KEY = "file"  # an outbox body's file to attach: {"key": media key, "name": file name}
BUILDS_PER_ROUND = 5
SWEEP_BATCH = 100


class ExportTooLarge(DomainError):
    code = "export_too_large"
    status = 413


async def request_export(
    conn: Connection, user_id: int, deliver: Deliver, settings: AccountSettings
) -> ExportRow:
    """Queue an export, at most one per person per export_every_minutes, and only of a
    collection the cap can hold."""
    async with conn.transaction():
        await exports.lock_exports_of(conn, user_id)
        await _refuse_too_soon(conn, user_id, settings.export_every_minutes)
        total = await exports.owned_bytes(conn, user_id)
        if total > settings.export_max_bytes:
            raise ExportTooLarge(
                f"your photos take {ceil(total / 1e6)} MB; an export holds at most "
                f"{settings.export_max_bytes // 1_000_000} MB"
            )
        return await exports.queue_export(conn, user_id, deliver, keep(settings))


async def _refuse_too_soon(conn: Connection, user_id: int, every_minutes: int) -> None:
    last = await exports.last_created(conn, user_id)
    if every_minutes == 0 or last is None:
        return
    next_at = last + timedelta(minutes=every_minutes)
    wait = (next_at - datetime.now(UTC)).total_seconds()
    if wait > 0:
        raise RateLimited("export", ceil(wait), first=True)


async def my_exports(conn: Connection, user_id: int, limit: int) -> list[ExportRow]:
    return await exports.list_exports(conn, user_id, limit)


def keep(settings: AccountSettings) -> timedelta:
    return timedelta(hours=settings.export_keep_hours)


async def build_due(pool: asyncpg.Pool, store: MediaStore, settings: AccountSettings) -> int:
    """Build queued exports (a few per round); how many were finished."""
    built = 0
    for _ in range(BUILDS_PER_ROUND):
        async with pool.acquire() as conn:
            claimed = await exports.claim_next(
                conn, timedelta(minutes=settings.export_lease_minutes)
            )
        if claimed is None:
            break
        await build_one(pool, store, settings, claimed)
        built += 1
    return built


async def build_one(
    pool: asyncpg.Pool, store: MediaStore, settings: AccountSettings, claimed: ExportRow
) -> ExportRow | None:
    assert claimed.claimed_at is not None
    key: str | None = None
    size: int | None = None
    failure: Failure | None = None
    try:
        async with pool.acquire() as conn:
            content = await read_content(conn, claimed.user_id)
        data = await build_zip(
            store, claimed.user_id, content, settings.export_max_bytes, datetime.now(UTC)
        )
        key, size = export_key(claimed.id, secrets.token_hex(16)), len(data)
        await store.put(key, data, "application/zip")
    except TooLarge:
        key, failure = None, "too_large"
    except (MediaUnavailable, OSError, ValueError):  # MediaNotFound is an OSError
        log.exception("export %d failed", claimed.id)
        key, failure = None, "error"
    done = await _finish(pool, settings, claimed, key, size, failure)
    if done is None and key is not None:  # replaced after its lease: this file is nobody's
        await delete_files(store, [key])
    return done


async def _finish(
    pool: asyncpg.Pool, settings: AccountSettings, claimed: ExportRow, key: str | None,
    size: int | None, failure: Failure | None,
) -> ExportRow | None:  # fmt: skip
    assert claimed.claimed_at is not None
    async with pool.acquire() as conn, conn.transaction():
        done = await exports.finish(conn, claimed.id, claimed.claimed_at, media_key=key,
                                    byte_size=size if key else None, failure=failure,
                                    keep=keep(settings))  # fmt: skip
        if done is not None and done.deliver == "chat":
            await tell(conn, done, settings)
    return done


async def tell(conn: Connection, done: ExportRow, settings: AccountSettings) -> None:
    """The chat hears the outcome; a file small enough for a chat message goes with it."""
    body: dict[str, object] = {}
    size = done.byte_size or 0
    outcome: ExportOutcome
    if done.state == "failed":
        outcome = "too_large" if done.failure == "too_large" else "failed"
    elif size > settings.export_chat_max_bytes:
        outcome = "link_only"
    else:
        outcome = "attached"
        stamp = done.created_at.strftime("%Y-%m-%d")
        body[FILE_KEY] = {"key": done.media_key, "name": f"gallery-export-{stamp}.zip"}
    notice = ExportDone(
        export_id=done.id, outcome=outcome, byte_size=size, kept_hours=settings.export_keep_hours
    )
    body[NOTICE_KEY] = notice.model_dump(mode="json")
    await enqueue_notice(conn, done.user_id, body, dedupe_key=f"export:{done.id}",
                         actor_id=None, cap=1, window=timedelta(seconds=1))  # fmt: skip


async def sweep_exports(pool: asyncpg.Pool, store: MediaStore) -> int:
    """Delete expired exports, files then rows: the rows commit only once their files are gone
    (the orphan sweep never looks under exports/), so a store that refuses leaves both for the
    next round."""
    try:
        async with pool.acquire() as conn, conn.transaction():
            expired = await exports.take_expired(conn, SWEEP_BATCH)
            await store.delete([e.media_key for e in expired if e.media_key])
    except (OSError, MediaUnavailable):
        log.warning("expired exports kept for the next sweep: the store refused", exc_info=True)
        return 0
    return len(expired)
