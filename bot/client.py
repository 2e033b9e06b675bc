"""MaxClient: the MAX Bot API methods the product uses, over one aiohttp.ClientSession.

Create it once per process (in an aiohttp cleanup_ctx) and close it with `aclose()` or
`async with`. Sends are never retried here except on attachment.not.ready, which MAX answers
only when it refused the message; every other error reaches the caller, which decides.
"""

from collections.abc import Sequence
from types import TracebackType
from typing import Self

import aiohttp

from bot import media
from bot.client_messages import MessageMethods
from bot.pacer import CallPacer, Unpaced
from bot.transport import MaxTimeouts, MaxTransport, RetryPolicy, parse_model, ssl_context
from bot.types import (
    BotCommand,
    BotCommandsInfo,
    BotCommandsPatch,
    BotInfo,
    FileAttachmentRequest,
    ImageAttachmentRequest,
    Subscription,
    SubscriptionList,
    SubscriptionRequestBody,
    UpdateList,
    parse_update,
)


class MaxClient(MessageMethods):
    """Sending, editing and reading messages and answering presses: bot/client_messages.py."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str,  # from settings (bot.api_base_url); the sandbox's in development
        ca_bundle: str | None = None,
        timeouts: MaxTimeouts | None = None,
        retry: RetryPolicy | None = None,
        pacer: CallPacer | None = None,
    ) -> None:
        """`ca_bundle` is a PEM file added to the public roots; MAX's chain ends in a Russian CA.
        `pacer` keeps MAX's bot-wide pace: the app passes a SharedPacer; None paces nothing."""
        self.timeouts = timeouts or MaxTimeouts()
        # The limits httpx had: 100 connections at most, an idle one kept 5 s.
        connector = aiohttp.TCPConnector(
            ssl=ssl_context(ca_bundle),
            limit=100,
            keepalive_timeout=5,
            socket_factory=self.timeouts.socket_factory(),
        )
        http = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": "max-photo-gallery"},
            timeout=self.timeouts.default(),
            raise_for_status=False,
        )
        self._transport = MaxTransport(
            http, base_url, token, self.timeouts, retry or RetryPolicy(), pacer or Unpaced()
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.http.close()

    async def get_me(self) -> BotInfo:
        return parse_model(BotInfo, await self._transport.call("GET", "/me"))

    async def set_commands(self, commands: Sequence[BotCommand]) -> list[BotCommand]:
        """Replace the bot's command list (≤32); an empty list removes them all."""
        body = BotCommandsPatch(commands=list(commands))
        data = await self._transport.call("PATCH", "/me/commands", body=body)
        return parse_model(BotCommandsInfo, data).commands

    async def subscribe(
        self, url: str, secret: str | None = None, update_types: Sequence[str] | None = None
    ) -> None:
        types = None if update_types is None else list(update_types)
        body = SubscriptionRequestBody(url=url, secret=secret, update_types=types)
        await self._transport.call_simple("POST", "/subscriptions", body=body)

    async def unsubscribe(self, url: str) -> None:
        await self._transport.call_simple("DELETE", "/subscriptions", params={"url": url})

    async def list_subscriptions(self) -> list[Subscription]:
        data = await self._transport.call("GET", "/subscriptions")
        return parse_model(SubscriptionList, data).subscriptions

    async def get_updates(
        self,
        marker: int | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - MAX's long-poll wait, sent as a query parameter
        limit: int = 100,
        types: Sequence[str] | None = None,
    ) -> UpdateList:
        """Long poll. Passing the previous `marker` commits every update before it."""
        params = {
            "marker": marker,
            "timeout": timeout,
            "limit": limit,
            "types": ",".join(types) if types else None,
        }
        data = await self._transport.call(
            "GET", "/updates", params=params, http_timeout=self.timeouts.long_poll(timeout)
        )
        return _update_list(data)

    async def upload_image(self, data: bytes, filename: str) -> ImageAttachmentRequest:
        """Upload one image (three steps) and return the attachment to send it with."""
        return await media.upload_image(self._transport, self.timeouts, data, filename)

    async def upload_file(self, data: bytes, filename: str) -> FileAttachmentRequest:
        """Upload one file (two steps: its URL, then the bytes) for a `file` attachment."""
        return await media.upload_file(self._transport, self.timeouts, data, filename)

    async def download(self, url: str, max_bytes: int) -> bytes:
        """Download user-sent media; MediaTooLarge as soon as it exceeds `max_bytes`."""
        return await media.download(self._transport, self.timeouts, url, max_bytes)


def _update_list(data: object) -> UpdateList:
    """Parse updates one by one so one malformed update cannot stall the poller on its marker."""
    if not isinstance(data, dict) or not isinstance(data.get("updates"), list):
        return parse_model(UpdateList, data)
    updates = [parse_update(item) for item in data["updates"] if isinstance(item, dict)]
    return UpdateList(updates=updates, marker=data.get("marker"))
