"""A live sandbox (the local MAX) per test, a MaxClient pointed at it, and a user to talk to."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.client import MaxClient
from bot.transport import RetryPolicy
from bot.types import Update, UpdateList
from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox

# Same shape as production (four waits, then give up), scaled down so tests stay fast.
FAST_RETRY = RetryPolicy(
    attachment_not_ready_delays=(0.01, 0.02, 0.04, 0.08), connect_retry_delays=(0.01, 0.02)
)


@dataclass(frozen=True)
class SandboxUser:
    user_id: int
    chat_id: int


@pytest.fixture
async def sandbox() -> AsyncIterator[RunningSandbox]:
    config = SandboxConfig(token="t", retry_base_s=0.05)
    async with run_sandbox(config, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
async def max_client(sandbox: RunningSandbox) -> AsyncIterator[MaxClient]:
    async with MaxClient(sandbox.token, base_url=sandbox.base_url, retry=FAST_RETRY) as client:
        yield client


@pytest.fixture
async def user(sandbox: RunningSandbox) -> SandboxUser:
    created = await sandbox.control.create_user("Anna", last_name="Petrova")
    return SandboxUser(user_id=created["user"]["user_id"], chat_id=created["chat_id"])


async def poll_one(client: MaxClient, marker: int | None = None) -> tuple[Update, int | None]:
    """The next update (waiting up to 5 s), committing whatever came before `marker`."""
    batch: UpdateList = await client.get_updates(marker=marker, timeout=5, limit=1)
    assert len(batch.updates) == 1
    return batch.updates[0], batch.marker
