"""GET /media/...: photo files behind signed, expiring URLs.

From a directory the file goes out with sendfile. From a bucket, media.serve decides: "stream"
passes the object through the app; "redirect" answers 307 to a presigned URL of the store that
dies no later than the app's own URL, so the bytes never pass through the app.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from aiohttp import web

from storage.media import CONTENT_TYPES, MediaNotFound, MediaStore, MediaUnavailable, storage_key
from webapp.services import services

log = logging.getLogger(__name__)

MEDIA_PATH = r"/media/{photo_id:[1-9][0-9]{0,18}}/{variant:[a-z0-9_-]{1,32}}.{ext:[a-z0-9]{1,8}}"
# a cached redirect must not outlive the presigned URL it points at, even by a slow follow
REDIRECT_SLACK_S = 30


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
    key, life = storage_key(photo_id, variant, ext), max(1, exp - int(now))
    # the file behind a URL never changes: keys derive from ids, and ids are never reused
    headers = {"Content-Type": content_type, "Cache-Control": f"private, max-age={life}, immutable"}
    store = services(request).store
    path = store.local_path(key)
    if path is not None:  # a missing file is FileResponse's plain 404, found off the event loop
        return web.FileResponse(path, headers=headers)
    try:
        if services(request).settings.media.serve == "redirect":
            return await _redirect(store, key, life)
        return await _stream(request, store, key, headers)
    except MediaNotFound:
        return _refusal(404, "not_found", "no such media file")
    except MediaUnavailable as exc:
        log.warning("media %s not served: %s", key, exc)
        return _refusal(503, "unavailable", "the media store is unavailable; try again soon")


async def _redirect(store: MediaStore, key: str, life: int) -> web.StreamResponse:
    """307 to the store. A missing object is the store's 404: asking first would cost the
    round trip the redirect exists to save."""
    url = await store.presigned_url(key, timedelta(seconds=life))
    if url is None:
        raise MediaNotFound(key)
    cache = f"private, max-age={max(0, life - REDIRECT_SLACK_S)}"
    return web.Response(status=307, headers={"Location": url, "Cache-Control": cache})


async def _stream(
    request: web.Request, store: MediaStore, key: str, headers: dict[str, str]
) -> web.StreamResponse:
    media = await store.open(key)
    response = web.StreamResponse(headers=headers)
    if media.etag:
        response.headers["ETag"] = media.etag
        if request.headers.get("If-None-Match") == media.etag:
            response.set_status(304)
            await response.prepare(request)
            return response
    response.content_length = media.size
    await response.prepare(request)
    if request.method != "HEAD":
        async for chunk in media.chunks:
            await response.write(chunk)
    await response.write_eof()
    return response


def setup_media_routes(app: web.Application) -> None:
    app.router.add_get(MEDIA_PATH, serve_media)
