"""Transport failures: what never left may be retried, what may have reached MAX is surfaced.

These run against tiny real servers (a closed port, a silent socket, a chunked media host),
because the sandbox answers properly and cannot misbehave at the TCP level.
"""

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import certifi
import pytest
from aiohttp import web

from bot.client import MaxClient
from bot.errors import MaxNetworkError, MediaTooLarge
from bot.transport import MaxTimeouts, RetryPolicy
from sandbox.config import SandboxConfig
from sandbox.runner import run_sandbox
from tests.client.conftest import FAST_RETRY

CHUNK = b"x" * 65536


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_refused_connection_never_reached_max_so_it_is_safe_to_retry() -> None:
    async with MaxClient("t", base_url=f"http://127.0.0.1:{closed_port()}", retry=FAST_RETRY) as c:
        with pytest.raises(MaxNetworkError) as caught:
            await c.send_message(user_id=1, text="hello")

    assert not caught.value.may_have_reached_max
    assert caught.value.safe_to_retry


async def test_get_is_retried_while_max_cannot_be_reached_yet() -> None:
    port = closed_port()
    retry = RetryPolicy(connect_retry_delays=(0.3, 0.3, 0.3))
    async with MaxClient("t", base_url=f"http://127.0.0.1:{port}", retry=retry) as client:
        asking = asyncio.create_task(client.get_me())
        await asyncio.sleep(0.1)
        async with run_sandbox(SandboxConfig(token="t"), host="127.0.0.1", port=port):
            me = await asking

    assert me.is_bot


async def test_unanswered_send_may_have_reached_max_so_it_is_not_resent() -> None:
    accepted: list[asyncio.StreamReader] = []
    hung_up = asyncio.Event()

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(reader)
        await reader.read()  # never answer; read until the client gives up and hangs up
        writer.close()
        await writer.wait_closed()
        hung_up.set()

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    timeouts = MaxTimeouts(read=0.3)
    async with server, MaxClient("t", base_url=f"http://127.0.0.1:{port}", timeouts=timeouts) as c:
        with pytest.raises(MaxNetworkError) as caught:
            await c.send_message(user_id=1, text="hello")
        await asyncio.wait_for(hung_up.wait(), 5)

    assert caught.value.may_have_reached_max
    assert not caught.value.safe_to_retry
    assert len(accepted) == 1


@pytest.fixture
async def endless_media() -> AsyncIterator[tuple[str, list[int]]]:
    """A media host that streams without Content-Length for as long as anyone reads."""
    sent: list[int] = [0]

    async def stream(request: web.Request) -> web.StreamResponse:
        # The bot token must never travel to a media host.
        assert "Authorization" not in request.headers
        response = web.StreamResponse()
        await response.prepare(request)
        try:
            while sent[0] < 1_000 * len(CHUNK):
                await response.write(CHUNK)
                sent[0] += len(CHUNK)
        except ConnectionError:
            pass
        return response

    app = web.Application()
    app.router.add_get("/photo", stream)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/photo", sent
    finally:
        await runner.cleanup()


async def test_download_without_length_stops_as_soon_as_the_limit_is_crossed(
    endless_media: tuple[str, list[int]],
) -> None:
    url, sent = endless_media
    async with MaxClient("t", base_url="http://127.0.0.1:9") as client:
        started = time.monotonic()
        with pytest.raises(MediaTooLarge) as caught:
            await client.download(url, max_bytes=3 * len(CHUNK))

    assert (caught.value.limit, caught.value.size) == (3 * len(CHUNK), None)
    assert sent[0] < 100 * len(CHUNK)
    assert time.monotonic() - started < 5


async def test_operator_ca_bundle_is_loaded() -> None:
    async with MaxClient("t", base_url="http://127.0.0.1:9", ca_bundle=certifi.where()) as client:
        assert client.timeouts == MaxTimeouts()


async def test_missing_ca_bundle_fails_at_construction() -> None:
    with pytest.raises(FileNotFoundError):
        MaxClient("t", base_url="http://127.0.0.1:9", ca_bundle="/nonexistent/root_ca.pem")
