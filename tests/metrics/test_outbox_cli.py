"""`python -m gallery outbox list|retry` against pushes the sandbox really refused to the end."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import asyncpg
import pytest

from config.settings import DatabaseSettings
from sandbox.runner import RunningSandbox
from storage.db import create_pool
from tests.bot.test_outbox import FAST, people, queue, running_senders, said, texts, until_settled

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def pool(database_url: str, db: asyncpg.Connection) -> AsyncIterator[asyncpg.Pool]:
    created = await create_pool(database_url, DatabaseSettings(pool_min=1, pool_max=8))
    try:
        yield created
    finally:
        await created.close()


async def gallery(database_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """`python -m gallery ARGS` as an operator runs it, against the test database."""
    env = {**os.environ, "GALLERY_DATABASE__URL": database_url}
    command = [sys.executable, "-m", "gallery", "--config", str(tmp_path / "none.toml"), *args]
    done = await asyncio.to_thread(
        subprocess.run, command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


async def dead_pushes(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection, user: int, count: int
) -> list[int]:
    """`count` pushes to `user`, each refused with 503 until dead-lettered (no patience for an
    outage: the 503 stands for a refusal that never ends)."""
    await sandbox.control.inject_fault(
        "http", status=503, count=count * FAST.max_attempts, method="POST", path="/messages"
    )
    for n in range(count):
        await queue(db, user, n)
    async with running_senders(pool, sandbox, limits=replace(FAST, outage_patience_s=0)):
        assert await until_settled(db) == {"dead": count}
    return [row["id"] for row in await db.fetch("SELECT id FROM outbox ORDER BY id")]


async def test_list_shows_dead_and_stuck_pushes_with_their_errors(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection, database_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    [user] = await people(sandbox, db, 1)
    [dead] = await dead_pushes(pool, sandbox, db, user, 1)
    stuck = await queue(db, user, 7)
    await db.execute(
        "UPDATE outbox SET created_at = now() - interval '2 hours', attempts = 3, "
        "next_attempt_at = now() + interval '1 day', last_error = 'HTTP 429' WHERE id = $1",
        stuck,
    )
    await queue(db, user, 8)  # pending, but young: not stuck
    code, out, err = await gallery(database_url, tmp_path, "outbox", "list")
    assert (code, err) == (0, "")
    header, *lines = out.splitlines()
    assert header.split() == ["id", "user", "kind", "status", "tries", "age", "error"]
    assert len(lines) == 2
    assert lines[0].split()[:5] == [str(dead), str(user), "send", "dead", str(FAST.max_attempts)]
    assert "503" in lines[0]
    assert lines[1].split()[:6] == [str(stuck), str(user), "send", "pending", "3", "2.0h"]
    assert lines[1].endswith("HTTP 429")


async def test_retry_requeues_one_push_with_its_attempts_reset_and_it_is_sent(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection, database_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    [user] = await people(sandbox, db, 1)
    first, second = await dead_pushes(pool, sandbox, db, user, 2)
    code, out, _ = await gallery(database_url, tmp_path, "outbox", "retry", str(first))
    assert (code, out) == (0, f"requeued 1 push(es): {first}\n")
    row = await db.fetchrow("SELECT status, attempts, last_error FROM outbox WHERE id = $1", first)
    assert dict(row or {}) == {"status": "pending", "attempts": 0, "last_error": None}
    async with running_senders(pool, sandbox):
        assert await until_settled(db) == {"sent": 1, "dead": 1}
    assert await texts(sandbox, user) == [said(0)]
    assert await db.fetchval("SELECT status FROM outbox WHERE id = $1", second) == "dead"


async def test_retry_all_dead_requeues_every_dead_push_and_nothing_else(
    pool: asyncpg.Pool, sandbox: RunningSandbox, db: asyncpg.Connection, database_url: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    [user] = await people(sandbox, db, 1)
    dead = await dead_pushes(pool, sandbox, db, user, 2)
    await db.execute("UPDATE outbox SET status = 'sent' WHERE id = $1", dead[0])
    code, out, _ = await gallery(database_url, tmp_path, "outbox", "retry", "--all-dead")
    assert (code, out) == (0, f"requeued 1 push(es): {dead[1]}\n")
    code, out, _ = await gallery(database_url, tmp_path, "outbox", "retry", "--all-dead")
    assert (code, out) == (0, "requeued 0 push(es)\n")
    code, out, _ = await gallery(database_url, tmp_path, "outbox", "list")
    assert (code, out) == (0, "no dead or stuck pushes\n")


async def test_retry_refuses_a_push_that_was_sent(
    db: asyncpg.Connection, database_url: str, tmp_path: Path, sandbox: RunningSandbox
) -> None:
    [user] = await people(sandbox, db, 1)
    sent = await queue(db, user, 1)
    await db.execute("UPDATE outbox SET status = 'sent' WHERE id = $1", sent)
    code, out, err = await gallery(database_url, tmp_path, "outbox", "retry", str(sent))
    assert (code, out, err) == (1, "", f"error: push {sent} is neither dead nor pending\n")
    assert await db.fetchval("SELECT status FROM outbox WHERE id = $1", sent) == "sent"
    code, _, err = await gallery(database_url, tmp_path, "outbox", "retry")
    assert code == 2
    assert "one of the arguments id --all-dead is required" in err
