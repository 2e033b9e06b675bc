"""The webhook MAX posts updates to: secret, size, JSON, then the dispatcher within a budget."""

from __future__ import annotations

import asyncio
import hmac
import logging

import orjson
from aiohttp import web

from bot.context import Context
from bot.dispatcher import Dispatcher, Outcome
from bot.services import BotServices
from bot.types import UnknownUpdate, parse_update
from storage.db import CONNECTION_ERRORS

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Max-Bot-Api-Secret"  # noqa: S105 - a header name
OK_BODY = b'{"ok":true}'  # encoded once: every answer MAX gets from a handled update


class WebhookEndpoint:
    def __init__(self, services: BotServices, dispatcher: Dispatcher, secret: str) -> None:
        self.services = services
        self.dispatcher = dispatcher
        self.secret = secret.encode()
        self.max_body = services.settings.bot.webhook_max_body_bytes
        self.budget_s = services.settings.bot.handler_budget_s

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            log.warning("webhook call with a wrong or missing secret from %s", request.remote)
            return _error(401, "unauthorized", "wrong or missing X-Max-Bot-Api-Secret")
        body = await _read_limited(request, self.max_body)
        if body is None:
            return _error(413, "too_large", f"bodies over {self.max_body} bytes are refused")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            log.warning("webhook body is not JSON (%s): %.200r", exc, body)
            return _error(400, "malformed", "the body is not JSON")
        if not isinstance(data, dict):
            log.warning("webhook body is not an object: %.200r", body)
            return _error(400, "malformed", "the body is not a JSON object")
        return await self._process(data)

    async def _process(self, data: dict[str, object]) -> web.Response:
        update = parse_update(data)
        if isinstance(update, UnknownUpdate):
            log.info("ignoring update of unknown type %r", update.update_type)
            return _ok()
        ctx = Context(update, self.services)
        try:
            async with asyncio.timeout(self.budget_s):
                outcome = await self.dispatcher.feed(ctx)
        except TimeoutError:
            # rolled back; MAX delivers it again, by when the slowness has likely passed
            log.warning("update %s took over %.1fs, left for redelivery", ctx.key, self.budget_s)
            return _error(503, "timeout", "try again later")
        except CONNECTION_ERRORS as exc:
            # 503 makes MAX deliver it again later, when the database is back
            log.warning("database unavailable, update left for redelivery: %r", exc)
            return _error(503, "unavailable", "try again later")
        if outcome is Outcome.DUPLICATE:
            log.info("duplicate update %s ignored", ctx.key)
        return _ok()


async def _read_limited(request: web.Request, limit: int) -> bytes | None:
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _ok() -> web.Response:
    return web.Response(body=OK_BODY, content_type="application/json")


def _error(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)
