"""The crash tests' own database (migrated, dropped afterwards), a sandbox that redelivers
webhooks within a second instead of MAX's minute, and the app process, stopped whatever
happened; a failed test's report carries the tail of the app's log."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from pathlib import Path

import asyncpg
import pytest

from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox
from tests.crash.app import GalleryProcess, Mode
from tests.dbserver import migrated_database


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """MAX's limits and redelivery, with the first retry after 0.3 s instead of 60 s: a killed
    app's updates come back while the test runs (0.3 × 1.5ⁿ, ten times: about 34 s in all)."""
    return SandboxConfig(retry_base_s=0.3, retry_factor=1.5)


@pytest.fixture
def crash_database_url(postgres_url: str) -> Iterator[str]:
    with migrated_database(postgres_url) as url:
        yield url


@pytest.fixture
async def crash_db(crash_database_url: str) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(crash_database_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
def gallery_process(
    mode: Mode, crash_database_url: str, sandbox: RunningSandbox, tmp_path: Path
) -> Iterator[GalleryProcess]:
    app = GalleryProcess(
        mode, crash_database_url, tmp_path / "media", sandbox.base_url, sandbox.token, tmp_path
    )
    try:
        yield app
    finally:
        app.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    app = getattr(item, "funcargs", {}).get("gallery_process")
    if report.failed and isinstance(app, GalleryProcess):
        report.sections.append(("log of the app", app.log_tail(120)))
    return report
