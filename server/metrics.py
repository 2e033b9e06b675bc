"""/metrics in the Prometheus text format, and the middleware that counts every HTTP request.

Who may read it: a socket peer in `[metrics] allow_networks`, or anyone sending
`Authorization: Bearer $GALLERY_METRICS__TOKEN`. The peer is the socket's, never a forwarded
header: behind a proxy every request comes from the proxy, so let Prometheus scrape the replicas
directly (deploy/prometheus.yml does) and keep the proxy's network out of allow_networks. A
refusal is a bare 403 that says nothing about why.

The outbox's figures come from the database at scrape time, at most every OUTBOX_CACHE_S per
replica however often it is scraped; the pool's are read off the pool itself.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import time

import asyncpg
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from config.log_context import Handler
from config.telemetry import MetricsSettings
from server.keys import DB_POOL, METRICS_ACCESS, OUTBOX_READING, SETTINGS
from storage import metrics
from storage.outbox_admin import outbox_stats

log = logging.getLogger(__name__)
OUTBOX_CACHE_S = 5.0
SCRAPE_DB_TIMEOUT_S = 2.0
_VERBS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@web.middleware
async def http_metrics_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Counts the request under its route's template (unmatched paths share one value) and
    status, and times it. Outermost, so the 500s the error middleware writes count too."""
    started, status = time.perf_counter(), 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    except asyncio.CancelledError:
        status = 499  # the client went away first (nginx's name for it)
        raise
    finally:
        count, seconds = metrics.http_children(_route(request), _verb(request.method), status)
        count.inc()
        seconds.observe(time.perf_counter() - started)


def _route(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return "unmatched" if resource is None else resource.canonical


def _verb(method: str) -> str:
    return method if method in _VERBS else "OTHER"


class MetricsAccess:
    def __init__(self, settings: MetricsSettings) -> None:
        self.networks: tuple[IpNetwork, ...] = tuple(
            ipaddress.ip_network(net, strict=False) for net in settings.allow_networks
        )
        token = settings.token.get_secret_value()
        self.bearer = f"Bearer {token}".encode() if token else None

    def allows(self, request: web.Request) -> bool:
        if self.bearer is not None:
            given = request.headers.get("Authorization", "").encode()
            if hmac.compare_digest(given, self.bearer):
                return True
        peer = socket_peer(request)
        return peer is not None and any(peer in net for net in self.networks)


def socket_peer(request: web.Request) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address the TCP connection came from (request.remote may be a proxy's say-so)."""
    peername = request.transport.get_extra_info("peername") if request.transport else None
    if not isinstance(peername, tuple):
        return None  # a Unix socket, or gone
    try:
        address = ipaddress.ip_address(peername[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


class OutboxReading:
    """The outbox's depth, oldest age and dead letters, read at most every OUTBOX_CACHE_S."""

    def __init__(self) -> None:
        self._at = -OUTBOX_CACHE_S
        self._lock = asyncio.Lock()

    async def refresh(self, pool: asyncpg.Pool) -> None:
        async with self._lock:  # a burst of scrapes reads the database once
            if time.monotonic() - self._at < OUTBOX_CACHE_S:
                return
            self._at = time.monotonic()
            try:
                async with asyncio.timeout(SCRAPE_DB_TIMEOUT_S), pool.acquire() as conn:
                    stats = await outbox_stats(conn)
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as exc:
                log.warning("outbox figures not read for /metrics: %r", exc)
                return
        metrics.OUTBOX_PENDING.set(stats.pending)
        metrics.OUTBOX_OLDEST_AGE.set(stats.oldest_pending_age_s)
        metrics.OUTBOX_DEAD.set(stats.dead)


def read_pool(pool: asyncpg.Pool) -> None:
    size = pool.get_size()
    metrics.POOL_SIZE.set(size)
    metrics.POOL_IN_USE.set(size - pool.get_idle_size())
    metrics.POOL_WAITING.set(getattr(pool, "waiting", 0))  # FairPool counts them


async def metrics_view(request: web.Request) -> web.Response:
    app = request.app
    if not app[METRICS_ACCESS].allows(request):
        return web.Response(status=403)
    pool = app[DB_POOL]
    read_pool(pool)
    await app[OUTBOX_READING].refresh(pool)
    return web.Response(
        body=generate_latest(metrics.REGISTRY), headers={"Content-Type": CONTENT_TYPE_LATEST}
    )


def setup_metrics(app: web.Application) -> None:
    app[METRICS_ACCESS] = MetricsAccess(app[SETTINGS].metrics)
    app[OUTBOX_READING] = OutboxReading()
    app.router.add_get("/metrics", metrics_view)
