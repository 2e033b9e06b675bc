"""One HTTP round trip to MAX: auth, JSON in and out, typed errors, and the only retries allowed.

The transport retries nothing but GETs whose connection never opened. Anything that may have
reached MAX is surfaced, because MAX has no idempotency key and a duplicate push is visible.
"""

import asyncio
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import certifi
import httpx
import orjson
from pydantic import BaseModel, ValidationError

from bot.errors import (
    MaxNetworkError,
    MaxOperationFailed,
    MaxProtocolError,
    error_from_response,
)
from bot.metrics import api_method, record_api_call
from bot.pacer import CallPacer
from bot.types import SimpleQueryResult

log = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

QueryValue = str | int | float | bool | None

# Failures raised before a single byte of the request was written.
_NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)


@dataclass(frozen=True)
class MaxTimeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    # Added to a long poll's own timeout so httpx never gives up before MAX answers.
    poll_margin: float = 15.0
    # Read/write allowance for uploading and downloading media.
    media: float = 120.0

    def default(self) -> httpx.Timeout:
        return httpx.Timeout(self.read, connect=self.connect, write=self.write, pool=self.pool)

    def long_poll(self, poll_seconds: int) -> httpx.Timeout:
        read = poll_seconds + self.poll_margin
        return httpx.Timeout(read, connect=self.connect, write=self.write, pool=self.pool)

    def media_transfer(self) -> httpx.Timeout:
        return httpx.Timeout(self.media, connect=self.connect, pool=self.pool)


@dataclass(frozen=True)
class RetryPolicy:
    # Waits between sends refused with attachment.not.ready (MAX still processing an upload).
    attachment_not_ready_delays: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
    # Waits between GETs whose connection could not be opened.
    connect_retry_delays: tuple[float, ...] = (0.2, 1.0)


def ssl_context(ca_bundle: str | None) -> ssl.SSLContext:
    """Public roots plus the operator's PEM bundle (MAX chains to the Russian Trusted Root CA)."""
    context = ssl.create_default_context(cafile=certifi.where())
    if ca_bundle is not None:
        context.load_verify_locations(cafile=ca_bundle)
    return context


def network_error(error: httpx.TransportError) -> MaxNetworkError:
    reached = not isinstance(error, _NEVER_SENT)
    return MaxNetworkError(f"{type(error).__name__}: {error}", may_have_reached_max=reached)


def parse_model(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise MaxProtocolError(f"unexpected {model.__name__} from MAX: {error}") from error


def json_body(model: BaseModel) -> bytes:
    return orjson.dumps(model.model_dump(exclude_none=True, mode="json", by_alias=True))


class MaxTransport:
    """`pacer` gives each Bot API call its slot in MAX's bot-wide pace (bot/pacer.py); the
    upload host and media downloads are not the Bot API and go unpaced."""

    def __init__(self, http: httpx.AsyncClient, retry: RetryPolicy, pacer: CallPacer) -> None:
        self.http = http
        self.retry = retry
        self.pacer = pacer

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, QueryValue] | None = None,
        body: BaseModel | None = None,
        http_timeout: httpx.Timeout | None = None,
    ) -> Any:
        """Send one request to the API and return its parsed JSON; raise a typed error otherwise."""
        request = self.http.build_request(
            method,
            path,
            params={k: v for k, v in (params or {}).items() if v is not None},
            content=None if body is None else json_body(body),
            headers=None if body is None else {"Content-Type": "application/json"},
            timeout=http_timeout or httpx.USE_CLIENT_DEFAULT,
        )
        if method == "GET":
            response = await self.retry_connect(lambda: self.paced_round_trip(request))
        else:
            response = await self.paced_round_trip(request)
        return parse_json(response.content)

    async def paced_round_trip(self, request: httpx.Request) -> httpx.Response:
        async with self.pacer.slot():
            return await self.round_trip(request)

    async def call_simple(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, QueryValue] | None = None,
        body: BaseModel | None = None,
    ) -> None:
        """Calls answering SimpleQueryResult: HTTP 200 with success false is still a refusal."""
        data = await self.call(method, path, params=params, body=body)
        result = parse_model(SimpleQueryResult, data)
        if not result.success:
            raise MaxOperationFailed(200, "", result.message or "")

    async def round_trip(self, request: httpx.Request) -> httpx.Response:
        method, started = api_method(request, self.http.base_url), time.perf_counter()
        try:
            response = await self.http.send(request)
        except httpx.TransportError as error:
            record_api_call(method, "network", started)
            raise network_error(error) from error
        record_api_call(method, str(response.status_code), started)
        if not response.is_success:
            raise error_from_response(response.status_code, response.content, response.headers)
        return response

    async def retry_connect(self, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run an idempotent attempt again while the connection itself cannot be opened."""
        for delay in self.retry.connect_retry_delays:
            try:
                return await attempt()
            except MaxNetworkError as error:
                if error.may_have_reached_max:
                    raise
                log.warning("MAX unreachable, retrying in %.1fs: %s", delay, error)
            await asyncio.sleep(delay)
        return await attempt()


def parse_json(content: bytes) -> Any:
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError as error:
        raise MaxProtocolError(f"MAX answered with non-JSON: {content[:200]!r}") from error
