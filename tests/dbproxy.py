"""A TCP proxy in front of PostgreSQL that a test can cut and restore: the database 'goes away'
for the app (connections drop, new ones are refused) without touching the server itself."""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qs, urlsplit, urlunsplit

from aiohttp.test_utils import unused_port


class DatabaseProxy:
    def __init__(self, database_url: str) -> None:
        self.target = urlsplit(database_url)
        self.port = unused_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        # bumped by every cut: a connection accepted before a cut but served after it (its task
        # had not run yet) or still dialling the server when it came is broken, not let through
        self._generation = 0

    @property
    def url(self) -> str:
        user = self.target.username or "postgres"
        auth = f"{user}:{self.target.password}@" if self.target.password else f"{user}@"
        return urlunsplit(("postgresql", f"{auth}127.0.0.1:{self.port}", self.target.path, "", ""))

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def cut(self) -> None:
        """Refuse new connections and break the open ones."""
        self._generation += 1
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def restore(self) -> None:
        await self.start()

    async def _open_target(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        socket_dir = parse_qs(self.target.query).get("host", [None])[0]
        if socket_dir:
            port = self.target.port or 5432
            return await asyncio.open_unix_connection(f"{socket_dir}/.s.PGSQL.{port}")
        return await asyncio.open_connection(self.target.hostname, self.target.port or 5432)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        generation = self._generation
        if self._server is None:  # accepted just before a cut, served after it
            writer.transport.abort()
            return
        self._writers.add(writer)
        try:
            up_reader, up_writer = await self._open_target()
            self._writers.add(up_writer)
            if generation != self._generation:  # cut while dialling the server
                self._writers.discard(up_writer)
                up_writer.transport.abort()
                writer.transport.abort()
                return
            try:
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
            finally:
                up_writer.close()
                self._writers.discard(up_writer)
        finally:
            writer.close()
            self._writers.discard(writer)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if not writer.is_closing():
            writer.write_eof()
