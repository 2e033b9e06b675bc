"""What the client puts on the wire for an upload: the Bot API call carries the bare token, the
upload host gets none, and the bytes go as the multipart field `data` with the file's name and
the type its name suggests (what MAX's upload host reads, and what httpx sent before)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import BodyPartReader, web

from bot.client import MaxClient
from bot.types import FileAttachmentRequest, TokenPayload


@dataclass
class Seen:
    api: list[tuple[str, str, str | None]] = field(default_factory=list)
    uploads: list[dict[str, object]] = field(default_factory=list)


@pytest.fixture
async def hosts() -> AsyncIterator[tuple[str, Seen]]:
    """One server standing in for both the Bot API (/uploads) and the upload host (/up)."""
    seen = Seen()

    async def uploads(request: web.Request) -> web.Response:
        seen.api.append((request.method, request.path_qs, request.headers.get("Authorization")))
        return web.json_response({"url": f"http://{request.host}/up?id=7"})

    async def receive(request: web.Request) -> web.Response:
        reader = await request.multipart()
        part = await reader.next()
        assert isinstance(part, BodyPartReader)
        seen.uploads.append({
            "authorization": request.headers.get("Authorization"),
            "query": request.query_string,
            "name": part.name,
            "filename": part.filename,
            "type": part.headers.get("Content-Type"),
            "body": bytes(await part.read()),
            "more": await reader.next() is not None,
        })  # fmt: skip
        return web.json_response({"fileId": 1, "token": "file-token"})

    app = web.Application()
    app.router.add_post("/uploads", uploads)
    app.router.add_post("/up", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}", seen
    finally:
        await runner.cleanup()


async def test_file_upload_sends_the_token_to_the_api_only_and_the_bytes_as_field_data(
    hosts: tuple[str, Seen],
) -> None:
    base_url, seen = hosts
    async with MaxClient("secret-token", base_url=base_url) as client:
        attachment = await client.upload_file(b"PK\x03\x04 zip bytes", "export.zip")

    assert attachment == FileAttachmentRequest(payload=TokenPayload(token="file-token"))
    assert seen.api == [("POST", "/uploads?type=file", "secret-token")]
    assert seen.uploads == [{
        "authorization": None,
        "query": "id=7",
        "name": "data",
        "filename": "export.zip",
        "type": "application/zip",
        "body": b"PK\x03\x04 zip bytes",
        "more": False,
    }]  # fmt: skip
