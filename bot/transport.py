"""One HTTP round trip to MAX: auth, JSON in and out, typed errors, and the only retries allowed.

The transport retries nothing but GETs whose connection never opened. Anything that may have
reached MAX is surfaced, because MAX has no idempotency key and a duplicate push is visible.
"""

import asyncio
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import aiohttp
import certifi
import orjson
from aiohttp.helpers import get_env_proxy_for_url
from multidict import CIMultiDictProxy
from pydantic import BaseModel, ValidationError
from yarl import URL

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

# Failures raised before a single byte of the request was written: the connection could not be
# opened (refused, DNS, TLS), no connection came free or opened in time, or the URL is not HTTP.
_NEVER_SENT = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
    aiohttp.InvalidURL,
    aiohttp.NonHttpUrlClientError,
)
# What a round trip raises when the network, not MAX, failed (the sock_read timeout is a
# ServerTimeoutError, itself a TimeoutError).
TRANSPORT_ERRORS = (aiohttp.ClientError, TimeoutError)


@dataclass(frozen=True)
class MaxTimeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0
    # Added to a long poll's own timeout so the client never gives up before MAX answers.
    poll_margin: float = 15.0
    # Read/write allowance for uploading and downloading media.
    media: float = 120.0

    # aiohttp has no per-write timeout: `write` is kept for settings' sake, and a request body
    # (a few KB of JSON; media under `media`) goes out under the socket's own buffers. `connect`
    # is aiohttp's wait for a pooled connection plus opening one; `sock_connect` the opening
    # alone; `sock_read` the longest silence between two reads, as httpx's read timeout was.
    def default(self) -> aiohttp.ClientTimeout:
        return self._timeout(self.read)

    def long_poll(self, poll_seconds: int) -> aiohttp.ClientTimeout:
        return self._timeout(poll_seconds + self.poll_margin)

    def media_transfer(self) -> aiohttp.ClientTimeout:
        return self._timeout(self.media)

    def _timeout(self, read: float) -> aiohttp.ClientTimeout:
        return aiohttp.ClientTimeout(
            total=None, connect=self.pool + self.connect, sock_connect=self.connect, sock_read=read
        )

    def socket_factory(self) -> Callable[[Any], socket.socket]:
        """httpx's write timeout, which aiohttp lacks, kept by the kernel: a connection whose sent
        bytes stay unacknowledged (a stalled upload host) fails after the longest write allowance
        (`media`); sock_read only starts once the body is out."""
        stall_ms = int(max(self.write, self.media) * 1000)

        def make(addr_info: Any) -> socket.socket:
            family, kind, proto, _, _ = addr_info
            sock = socket.socket(family=family, type=kind, proto=proto)
            if hasattr(socket, "TCP_USER_TIMEOUT"):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, stall_ms)
            return sock

        return make


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


def network_error(error: BaseException) -> MaxNetworkError:
    """`error` is one of TRANSPORT_ERRORS; may_have_reached_max unless it is one of _NEVER_SENT."""
    reached = not isinstance(error, _NEVER_SENT)
    return MaxNetworkError(f"{type(error).__name__}: {error}", may_have_reached_max=reached)


def parse_model(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise MaxProtocolError(f"unexpected {model.__name__} from MAX: {error}") from error


def json_body(model: BaseModel) -> bytes:
    return orjson.dumps(model.model_dump(exclude_none=True, mode="json", by_alias=True))


@dataclass(frozen=True)
class Answer:
    """A response read whole: the Bot API's answers are small JSON documents."""

    status: int
    headers: CIMultiDictProxy[str]
    content: bytes


@dataclass(frozen=True)
class Outgoing:
    """One request as sent: `url` absolute, `headers` the request's own (the bot token only in
    those of Bot API calls: MAX's upload host must never see it)."""

    method: str
    url: URL
    timeout: aiohttp.ClientTimeout
    params: Mapping[str, str] | None = None
    data: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    proxy: URL | None = None
    proxy_auth: aiohttp.BasicAuth | None = None


def env_proxy(url: URL) -> tuple[URL | None, aiohttp.BasicAuth | None]:
    """The proxy HTTPS_PROXY/HTTP_PROXY (less NO_PROXY) name for `url`, as httpx honoured them;
    read here rather than through the session's trust_env, which looks in ~/.netrc from a
    thread on every request."""
    try:
        return get_env_proxy_for_url(url)
    except LookupError:
        return None, None


class MaxTransport:
    """`pacer` gives each Bot API call its slot in MAX's bot-wide pace (bot/pacer.py); the
    upload host and media downloads are not the Bot API and go unpaced.

    The bot token goes only with calls to the API host (`call`), as the Authorization header:
    the bare token, since MAX rejects "Bearer " and no longer reads ?access_token=."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        token: str,
        timeouts: MaxTimeouts,
        retry: RetryPolicy,
        pacer: CallPacer,
    ) -> None:
        self.http = http
        self.base_url = URL(base_url.rstrip("/"))
        self._base = base_url.rstrip("/")
        self._auth = {"Authorization": token}
        self._json_auth = {**self._auth, "Content-Type": "application/json"}
        self._proxy, self._proxy_auth = env_proxy(self.base_url)
        self.timeouts = timeouts
        self._default_timeout = timeouts.default()
        self.retry = retry
        self.pacer = pacer

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, QueryValue] | None = None,
        body: BaseModel | None = None,
        http_timeout: aiohttp.ClientTimeout | None = None,
    ) -> Any:
        """Send one request to the API and return its parsed JSON; raise a typed error otherwise."""
        request = Outgoing(
            method,
            URL(self._base + path),
            http_timeout or self._default_timeout,
            params=query(params),
            data=None if body is None else json_body(body),
            headers=self._auth if body is None else self._json_auth,
            proxy=self._proxy,
            proxy_auth=self._proxy_auth,
        )
        if method == "GET":
            response = await self.retry_connect(lambda: self.paced_round_trip(request))
        else:
            response = await self.paced_round_trip(request)
        return parse_json(response.content)

    async def paced_round_trip(self, request: Outgoing) -> Answer:
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

    async def round_trip(self, request: Outgoing) -> Answer:
        method = api_method(request.method, request.url, self.base_url)
        started = time.perf_counter()
        try:
            answer = await self._send(request)
        except TRANSPORT_ERRORS as error:
            record_api_call(method, "network", started)
            raise network_error(error) from error
        record_api_call(method, str(answer.status), started)
        if not 200 <= answer.status < 300:
            raise error_from_response(answer.status, answer.content, answer.headers)
        return answer

    async def _send(self, request: Outgoing) -> Answer:
        async with self.http.request(
            request.method,
            request.url,
            params=request.params,
            data=request.data,
            headers=request.headers,
            timeout=request.timeout,
            allow_redirects=False,
            proxy=request.proxy,
            proxy_auth=request.proxy_auth,
        ) as response:
            return Answer(response.status, response.headers, await response.read())

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


def query(params: Mapping[str, QueryValue] | None) -> dict[str, str] | None:
    """Query parameters as httpx wrote them: None left out, booleans as true/false."""
    if not params:
        return None
    return {k: _query_value(v) for k, v in params.items() if v is not None}


def _query_value(value: str | int | float | bool) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
