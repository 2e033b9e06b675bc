"""GET /media/...: photo files behind signed, expiring URLs, served with sendfile."""

from __future__ import annotations

import time

from aiohttp import web

from storage.files import storage_key
from webapp.services import services

MEDIA_PATH = r"/media/{photo_id:[1-9][0-9]{0,18}}/{variant:[a-z0-9_-]{1,32}}.{ext:[a-z0-9]{1,8}}"
CONTENT_TYPES = {
    "webp": "image/webp",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
}


def _refusal(status: int, code: str, detail: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status)


def _signed_expiry(request: web.Request, photo_id: int, file_name: str, now: float) -> int | None:
    """The URL's expiry if its signature holds and it is still valid, else None."""
    exp_text, sig = request.query.get("exp", ""), request.query.get("sig", "")
    if not exp_text.isdigit() or len(exp_text) > 12:
        return None
    exp = int(exp_text)
    signer = services(request).signer
    return exp if signer.verify(photo_id, file_name, exp, sig, now) else None


async def serve_media(request: web.Request) -> web.StreamResponse:
    photo_id = int(request.match_info["photo_id"])
    variant, ext = request.match_info["variant"], request.match_info["ext"]
    now = time.time()
    exp = _signed_expiry(request, photo_id, f"{variant}.{ext}", now)
    if exp is None:
        return _refusal(403, "forbidden", "this media link is invalid or has expired")
    content_type = CONTENT_TYPES.get(ext)
    if content_type is None:
        return _refusal(404, "not_found", "no such media file")
    # a missing file is FileResponse's plain 404, found out off the event loop
    path = services(request).store.path(storage_key(photo_id, variant, ext))
    # the file behind a URL never changes: keys derive from ids, and ids are never reused
    cache = f"private, max-age={max(0, exp - int(now))}, immutable"
    return web.FileResponse(path, headers={"Content-Type": content_type, "Cache-Control": cache})


def setup_media_routes(app: web.Application) -> None:
    app.router.add_get(MEDIA_PATH, serve_media)
