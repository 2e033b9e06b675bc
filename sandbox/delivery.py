import asyncio
import contextlib
import ssl
import time
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from sandbox.clock import now_iso
from sandbox.config import SandboxConfig
from sandbox.state import SANDBOX_STATE, JsonDict, SandboxState, Subscription

SECRET_HEADER = "X-Max-Bot-Api-Secret"  # noqa: S105 - a header name, not a secret


class WebhookDeliverer:
    """Delivers updates one at a time, in order, with MAX's retry and unsubscribe rules."""

    def __init__(self, state: SandboxState, session: aiohttp.ClientSession) -> None:
        self.state = state
        self.session = session
        self.failing_since: float | None = None

    async def run(self) -> None:
        while True:
            update = await self.state.webhook_queue.get()
            await self.deliver_with_retries(update)

    async def deliver_with_retries(self, update: JsonDict) -> None:
        config = self.state.config
        for attempt in range(config.max_retries + 1):
            sub = self.state.subscription
            if sub is None:
                return
            if await self.attempt(sub, update, attempt):
                self.failing_since = None
                await self.send_duplicates(sub, update)
                return
            if self.should_unsubscribe(sub):
                return
            if attempt < config.max_retries:
                await asyncio.sleep(config.retry_base_s * config.retry_factor**attempt)

    def should_unsubscribe(self, sub: Subscription) -> bool:
        now = time.monotonic()
        if self.failing_since is None:
            self.failing_since = now
        if now - self.failing_since < self.state.config.unsubscribe_after_s:
            return False
        if self.state.subscription is sub:
            self.state.subscription = None
        self.failing_since = None
        self.record(sub, {"update_type": "-"}, -1, None, "unsubscribed after failures")
        return True

    async def send_duplicates(self, sub: Subscription, update: JsonDict) -> None:
        for _ in range(self.state.faults.webhook_duplicates):
            await self.attempt(sub, update, 0, duplicate=True)

    async def attempt(
        self, sub: Subscription, update: JsonDict, attempt: int, *, duplicate: bool = False
    ) -> bool:
        headers = {SECRET_HEADER: sub.secret} if sub.secret else {}
        timeout = aiohttp.ClientTimeout(total=self.state.config.webhook_timeout_s)
        try:
            async with self.session.post(sub.url, json=update, headers=headers,
                                         timeout=timeout) as response:
                await response.read()
                status, error = response.status, None
        except (aiohttp.ClientError, TimeoutError) as exc:
            status, error = None, f"{type(exc).__name__}: {exc}"
        self.record(sub, update, attempt, status, error, duplicate=duplicate)
        return status == 200

    def record(self, sub: Subscription, update: JsonDict, attempt: int, status: int | None,
               error: str | None, *, duplicate: bool = False) -> None:
        self.state.deliveries.append({
            "url": sub.url, "update_type": update.get("update_type"),
            "timestamp": update.get("timestamp"), "attempt": attempt, "status": status,
            "error": error, "duplicate": duplicate, "time": now_iso(),
        })


def delivery_tls(config: SandboxConfig) -> ssl.SSLContext | bool:
    """The system's roots, as MAX trusts them, plus the config's extra ones (a local proxy's CA)."""
    if config.ca_file is None:
        return True
    context = ssl.create_default_context()
    context.load_verify_locations(cafile=config.ca_file)
    return context


async def webhook_delivery_ctx(app: web.Application) -> AsyncIterator[None]:
    connector = aiohttp.TCPConnector(ssl=delivery_tls(app[SANDBOX_STATE].config))
    async with aiohttp.ClientSession(connector=connector) as session:
        deliverer = WebhookDeliverer(app[SANDBOX_STATE], session)
        task = asyncio.create_task(deliverer.run(), name="sandbox-webhook-delivery")
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
