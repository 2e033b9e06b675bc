"""A PostgreSQL and a SeaweedFS of the test's own (restarted by it), and a sandbox that
redelivers refused webhooks within a second or two instead of MAX's minutes."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from sandbox.config import SandboxConfig
from tests.faults.pgserver import PrivatePostgres
from tests.faults.seaweed import RestartableSeaweed
from tests.s3server import start_server

DATABASE = "gallery"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """Retries 0.25 s × 1.5ⁿ: a refused update comes back within ~2 s of the cause going away,
    and twenty tries outlast any outage here."""
    return SandboxConfig(retry_base_s=0.25, retry_factor=1.5, max_retries=20)


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """Running; stopped and deleted afterwards. Its directory is made by mkdtemp (not pytest's
    tmp_path, which another run may prune) and opened to the system user that runs it."""
    server = PrivatePostgres.create(Path(tempfile.mkdtemp(prefix="gallery-faults-pg-")))
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
async def private_database(private_postgres: PrivatePostgres) -> str:
    """An empty database on it; the app migrates it as it starts."""
    conn = await asyncpg.connect(private_postgres.url())
    try:
        await conn.execute(f'CREATE DATABASE "{DATABASE}"')
    finally:
        await conn.close()
    return private_postgres.url(DATABASE)


@pytest.fixture
def seaweed_server() -> Iterator[RestartableSeaweed]:
    """A SeaweedFS with an empty bucket, in a directory of its own; stopped and deleted after."""
    data_dir = Path(tempfile.mkdtemp(prefix="gallery-faults-s3-"))
    try:
        held = RestartableSeaweed(start_server(data_dir))
        try:
            yield held
        finally:
            held.stop()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
