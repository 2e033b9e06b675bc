"""Headers every response carries, whatever answered it: the API, a page, a media file, the
webhook, health, or aiohttp's own 404."""

from __future__ import annotations

from aiohttp import web

# aiohttp would say "Python/3.x aiohttp/3.x": a version list for anyone matching exploits
SERVER = "max-photo-gallery"


async def response_headers(request: web.Request, response: web.StreamResponse) -> None:
    """on_response_prepare: a Server header without versions, and no content sniffing (every
    body here says what it is; a browser guessing otherwise could run an upload as script)."""
    response.headers["Server"] = SERVER
    response.headers["X-Content-Type-Options"] = "nosniff"


def setup_response_headers(app: web.Application) -> None:
    app.on_response_prepare.append(response_headers)
