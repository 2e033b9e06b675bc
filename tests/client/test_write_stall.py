"""An upload host that stops reading mid-body: the upload fails within the write allowance (as
httpx's write timeout did) instead of holding a sender forever, and counts as maybe delivered.

Real servers, because the sandbox always reads what it is sent."""

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.client import MaxClient
from bot.errors import MaxNetworkError
from bot.transport import MaxTimeouts

BIG = b"x" * 64_000_000  # far past what the kernel's socket buffers absorb


@pytest.fixture
async def stalled_host() -> AsyncIterator[tuple[str, list[int]]]:
    """Accepts connections and never reads a byte; the list counts connections."""
    accepted, released = [0], asyncio.Event()

    async def never_read(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted[0] += 1
        await released.wait()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(never_read, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with server:
            yield f"http://127.0.0.1:{port}/upload", accepted
            released.set()
            await asyncio.sleep(0.1)  # the handlers close their ends
    finally:
        released.set()


@pytest.fixture
async def api_host(stalled_host: tuple[str, list[int]]) -> AsyncIterator[str]:
    """A Bot API host whose POST /uploads hands out the stalled host's URL."""

    async def uploads(request: web.Request) -> web.Response:
        return web.json_response({"url": stalled_host[0]})

    app = web.Application()
    app.router.add_post("/uploads", uploads)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def test_upload_to_a_host_that_stops_reading_fails_within_the_write_allowance(
    api_host: str, stalled_host: tuple[str, list[int]]
) -> None:
    timeouts = MaxTimeouts(write=1.0, media=1.0)
    async with MaxClient("t", base_url=api_host, timeouts=timeouts) as client:
        started = time.monotonic()
        with pytest.raises(MaxNetworkError) as caught:
            await client.upload_file(BIG, "export.zip")
        took = time.monotonic() - started

    assert caught.value.may_have_reached_max
    assert not caught.value.safe_to_retry
    assert stalled_host[1] == [1]
    assert took < 15
