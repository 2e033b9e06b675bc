"""The server half of bench/media.py: /media/ served by the product's own handler over one
store, or a bare FileResponse for reference, in a process of its own.

    python bench/media_server.py <local|s3-stream|s3-redirect|ref-file> <port> <media root>

The S3 settings come from the GALLERY_MEDIA__S3_* environment bench/media.py passes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import uvloop
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.settings import Settings
from storage.media import open_media_store, storage_key
from webapp.media_urls import MediaSigner
from webapp.routes_media import setup_media_routes
from webapp.services import WEB, WebServices

SIGNING_KEY = b"bench-media-signing-key"


def media_app(way: str, root: Path) -> web.Application:
    backend, serve = ("local", "stream") if way == "local" else ("s3", way.split("-")[1])
    settings = Settings(media={"backend": backend, "serve": serve, "root": root})
    app = web.Application()
    none: Any = None  # the media route reads only the settings, the store and the signer
    app[WEB] = WebServices(
        settings=settings, pool=none, store=open_media_store(settings.media),
        signer=MediaSigner(SIGNING_KEY, 3600), image_pools=none, session_gate=none,
    )  # fmt: skip
    setup_media_routes(app)
    return app


def reference_app(root: Path) -> web.Application:
    path = root / storage_key(4242, "preview", "webp")

    async def file(request: web.Request) -> web.FileResponse:
        return web.FileResponse(path, headers={"Content-Type": "image/webp"})

    app = web.Application()
    app.router.add_get("/file", file)
    return app


def main() -> None:
    way, port, root = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    app = reference_app(root) if way == "ref-file" else media_app(way, root)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None,
                loop=uvloop.new_event_loop())  # fmt: skip


if __name__ == "__main__":
    main()
