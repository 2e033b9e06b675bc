import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web

from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox

JsonDict = dict[str, Any]


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    # Retry intervals scaled down so webhook retry tests take milliseconds, not minutes; rate
    # limits loosened so functional tests may send fast (test_rate_limits uses the real ones).
    return SandboxConfig(retry_base_s=0.05, retry_factor=2.0, max_retries=3,
                         webhook_timeout_s=1.0, rate_per_bot=1000, rate_per_chat=1000)


@pytest.fixture
async def sandbox(sandbox_config: SandboxConfig) -> AsyncIterator[RunningSandbox]:
    async with run_sandbox(sandbox_config) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": sandbox.token}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers,
                                 timeout=10.0) as client:
        yield client


@pytest.fixture
async def user(sandbox: RunningSandbox) -> JsonDict:
    created = await sandbox.control.create_user("Anna", last_name="Petrova", username="anna")
    return created


@dataclass
class WebhookReceiver:
    """A bot's webhook endpoint: records every POST and answers with scripted statuses."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], JsonDict]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.json()))
        self.arrived.set()
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({"ok": status == 200}, status=status)

    async def wait_for(self, count: int, within_s: float = 5.0) -> None:
        async with asyncio.timeout(within_s):
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
async def receiver() -> AsyncIterator[WebhookReceiver]:
    hook = WebhookReceiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    hook.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


@pytest.fixture
async def sandbox_callback(
    sandbox: RunningSandbox, api: httpx.AsyncClient, user: JsonDict
) -> tuple[str, str]:
    """A bot message with one callback button that the user has pressed: (callback_id, mid)."""
    keyboard = {"type": "inline_keyboard",
                "payload": {"buttons": [[{"type": "callback", "text": "Like", "payload": "like"}]]}}
    sent = await api.post("/messages", params={"chat_id": user["chat_id"]},
                          json={"text": "Rate this", "attachments": [keyboard]})
    mid: str = sent.json()["message"]["body"]["mid"]
    pressed = await sandbox.control.press_button(user["user"]["user_id"], mid, "like")
    callback_id: str = pressed["callback_id"]
    return callback_id, mid


async def eventually(check: Callable[[], Awaitable[bool]], within_s: float = 5.0) -> None:
    """Poll a sandbox-side condition that has no event to wait on from outside the process."""
    step = 0.05
    for _ in range(int(within_s / step)):
        if await check():
            return
        await asyncio.sleep(step)
    raise AssertionError("condition not reached in time")
