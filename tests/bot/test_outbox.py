"""The push sender against the sandbox: MAX's refusals ridden out, nothing lost or doubled."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest

from bot.client import MaxClient
from bot.pacer import SharedPacer
from bot.sender import OutboxSender, SenderLimits
from bot.services import BotIdentity
from config.settings import DatabaseSettings
from gallery.notices import notify
from gallery.notices.kinds import TransferDecided
from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox
from storage.db import create_pool, init_connection
from storage.media import LocalMediaStore
from storage.migrate import MIGRATIONS_DIR, migrate
from tests.bot.helpers import bot_messages

# the sandbox's bot, as get_me tells the app: an unanswered push is looked for by its sender
IDENTITY = BotIdentity(SandboxConfig().bot_user_id, SandboxConfig().bot_username, "Gallery")
FAST = SenderLimits(backoff_scale=0.02, max_attempts=6, poll_s=0.1, lease_s=30)


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(retry_base_s=0.05)


@pytest.fixture
async def pool(database_url: str, db: asyncpg.Connection) -> AsyncIterator[asyncpg.Pool]:
    created = await create_pool(database_url, DatabaseSettings(pool_min=1, pool_max=8))
    try:
        yield created
    finally:
        await created.close()


@contextlib.asynccontextmanager
async def running_senders(
    pool: asyncpg.Pool, sandbox: RunningSandbox, count: int = 1, limits: SenderLimits = FAST
) -> AsyncIterator[list[OutboxSender]]:
    # paced bot-wide as in the app (bot/runtime.py make_client)
    pacer = SharedPacer(pool)
    async with MaxClient(sandbox.token, base_url=sandbox.base_url, pacer=pacer) as client:
        store = LocalMediaStore(Path("/nonexistent"))  # these pushes carry no photos
        senders = [OutboxSender(pool, client, limits, store, IDENTITY) for _ in range(count)]
        tasks = [asyncio.create_task(s.run()) for s in senders]
        try:
            yield senders
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def people(sandbox: RunningSandbox, db: asyncpg.Connection, count: int) -> list[int]:
    """Sandbox users the app knows, with their dialogs, as after each pressed Start."""
    ids = []
    for n in range(count):
        created = await sandbox.control.create_user(f"P{n}", language_code="en")
        user_id = created["user"]["user_id"]
        await db.execute(
            "INSERT INTO users (id, first_name, language, dialog_chat_id) "
            "VALUES ($1, $2, 'en', $3)",
            user_id,
            f"P{n}",
            created["chat_id"],
        )
        ids.append(user_id)
    return ids


async def queue(db: asyncpg.Connection, user_id: int, n: int) -> int | None:
    notice = TransferDecided(outcome="expired", title=f"push {n}")
    async with db.transaction():
        return await notify(db, user_id, notice, dedupe_key=f"test:{user_id}:{n}")


def said(n: int) -> str:
    return f"The transfer of «push {n}» expired; nobody accepted it."


async def until_settled(db: asyncpg.Connection, timeout_s: float = 20.0) -> dict[str, int]:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        rows = await db.fetch("SELECT status, count(*) AS n FROM outbox GROUP BY status")
        counts = {r["status"]: r["n"] for r in rows}
        if not counts.get("pending") or asyncio.get_running_loop().time() > deadline:
            return counts
        await asyncio.sleep(0.05)


async def texts(sandbox: RunningSandbox, user_id: int) -> list[str]:
    return [m["text"] for m in await bot_messages(sandbox.control, user_id)]


async def test_a_429_storm_is_ridden_out_with_nothing_lost_or_doubled(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    users = await people(sandbox, db, 4)
    await sandbox.control.inject_fault(
        "http", status=429, count=15, method="POST", path="/messages"
    )
    for n in range(12):
        await queue(db, users[n % 4], n)
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 12}
    for i, user in enumerate(users):
        assert await texts(sandbox, user) == [
            said(n) for n in range(i, 12, 4)
        ]
    attempts = await db.fetchval("SELECT sum(attempts) FROM outbox")
    assert attempts == 12 + 15
    assert (await sandbox.control.stats())["limit_violations"] == []


async def test_a_503_is_ridden_out(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    [user] = await people(sandbox, db, 1)
    await sandbox.control.inject_fault("http", status=503, count=3, method="POST", path="/messages")
    await queue(db, user, 1)
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 1}
    assert await texts(sandbox, user) == [said(1)]
    assert await db.fetchval("SELECT attempts FROM outbox") == 4


async def test_a_person_who_blocked_the_bot_is_marked_unreachable(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    blocked, other = await people(sandbox, db, 2)
    await sandbox.control.block(blocked)
    await queue(db, blocked, 1)
    await queue(db, blocked, 2)
    await queue(db, other, 3)
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 1, "skipped": 2}
    assert await db.fetchval("SELECT reachable FROM users WHERE id = $1", blocked) is False
    errors = await db.fetch("SELECT last_error FROM outbox WHERE status = 'skipped' ORDER BY id")
    assert "403" in errors[0]["last_error"]
    assert errors[1]["last_error"] == "user unreachable (403)"
    assert await queue(db, blocked, 4) is None  # nothing more is queued to them
    assert await db.fetchval("SELECT count(*) FROM outbox") == 3


async def test_after_bounded_attempts_a_push_is_dead_lettered_with_its_error(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    [user] = await people(sandbox, db, 1)
    await sandbox.control.inject_fault(
        "http", status=503, count=100, method="POST", path="/messages"
    )
    await queue(db, user, 1)
    # no patience for outages here: MAX's 503 stands for any refusal that never ends
    async with running_senders(pool, sandbox, limits=replace(FAST, outage_patience_s=0)):
        assert await until_settled(db) == {"dead": 1}
    row = await db.fetchrow("SELECT attempts, last_error FROM outbox")
    assert row is not None
    assert row["attempts"] == FAST.max_attempts
    assert "503" in row["last_error"]
    assert await texts(sandbox, user) == []


async def test_two_senders_at_once_send_each_push_once(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    users = await people(sandbox, db, 10)
    for n in range(30):
        await queue(db, users[n % 10], n)
    async with running_senders(pool, sandbox, count=2):
        assert await until_settled(db) == {"sent": 30}
    sent = [text for user in users for text in await texts(sandbox, user)]
    assert sorted(sent) == sorted(said(n) for n in range(30))
    assert (await sandbox.control.stats())["limit_violations"] == []


async def test_per_chat_limit_holds_under_a_burst(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    [user] = await people(sandbox, db, 1)
    for n in range(6):
        await queue(db, user, n)
    started = asyncio.get_running_loop().time()
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 6}
    elapsed = asyncio.get_running_loop().time() - started
    assert elapsed >= 2.0  # six sends at two per second per chat
    assert await texts(sandbox, user) == [said(n) for n in range(6)]
    assert (await sandbox.control.stats())["limit_violations"] == []


async def test_pushes_queued_before_typed_notices_are_still_sent(
    scratch_database_url: str, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    """A database as the release before notices left it, with a rendered push still queued:
    after this release's migrations, it goes out as it is, beside a new notice."""
    before = tmp_path / "migrations"
    before.mkdir()
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        if path.name < "0008":
            shutil.copy(path, before)
    conn = await asyncpg.connect(scratch_database_url)
    await init_connection(conn)
    try:
        await migrate(conn, before)
        [user] = await people(sandbox, conn, 1)
        chat = await conn.fetchval("SELECT dialog_chat_id FROM users WHERE id = $1", user)
        old = {"message": {"text": "«Old» is now your art object.", "format": "html"}}
        await conn.execute(
            "INSERT INTO outbox (user_id, chat_id, kind, body) VALUES ($1, $2, 'send', $3)",
            user, chat, old,
        )  # fmt: skip
        applied = await migrate(conn)
        assert applied[0] == "0008_outbox_notices.sql"  # and every later one
        assert applied == sorted(p.name for p in MIGRATIONS_DIR.glob("*.sql") if p.name >= "0008")
        await queue(conn, user, 1)
        pool = await create_pool(scratch_database_url, DatabaseSettings(pool_min=1, pool_max=4))
        try:
            async with running_senders(pool, sandbox):
                assert await until_settled(conn) == {"sent": 2}
        finally:
            await pool.close()
        assert await texts(sandbox, user) == ["«Old» is now your art object.", said(1)]
    finally:
        await conn.close()
