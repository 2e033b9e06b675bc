"""The mini-app's page and static files: GET /app serves one HTML shell; the rest is ES modules.

On real MAX the page loads MAX's bridge script, which defines `window.WebApp`. Against the
sandbox there is no MAX client, so the script is left out and the page builds a stand-in from
the launch URL's `#WebAppData=` fragment (webapp/static/bridge.js).
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from config.settings import MAX_WEB_CLIENT
from webapp.services import services

STATIC_DIR = Path(__file__).parent / "static"
STATIC_PREFIX = "/app/static"
# names only, one folder deep at most: nothing outside static/ can be asked for
STATIC_NAME = r"/{name:(?:[a-z0-9_]+/)?[a-z0-9_]+\.(?:js|css|svg)}"
MAX_BRIDGE_ORIGIN = "https://st.max.ru"
MAX_BRIDGE_TAG = f'<script src="{MAX_BRIDGE_ORIGIN}/js/max-web-app.js"></script>'
BRIDGE_MARK = "<!-- max-bridge -->"
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
PAGE_KEY: web.AppKey[dict[bool, bytes]] = web.AppKey("mini_app_page")


def content_security_policy(
    with_bridge: bool, frame_ancestors: tuple[str, ...] = (MAX_WEB_CLIENT,)
) -> str:
    scripts = f"'self' {MAX_BRIDGE_ORIGIN}" if with_bridge else "'self'"
    ancestors = " ".join(frame_ancestors) or "'none'"
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        "style-src 'self'",
        # data: for ThumbHash placeholders painted in JS, blob: for the photo chosen to upload,
        # https: for people's avatars, which MAX serves from its own image hosts (an image
        # cannot run code; our photos still come only from self, behind signed URLs)
        "img-src 'self' data: blob: https:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        # only MAX's web client may frame the app (webapp.frame_ancestors): no other site can
        # dress it up, or overlay it to make a person press Accept unknowingly
        f"frame-ancestors {ancestors}",
    ])  # fmt: skip


def render_page(with_bridge: bool) -> bytes:
    template = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return template.replace(BRIDGE_MARK, MAX_BRIDGE_TAG if with_bridge else "").encode()


async def mini_app_page(request: web.Request) -> web.Response:
    settings = services(request).settings
    with_bridge = not settings.uses_sandbox
    cache = request.app[PAGE_KEY]
    if with_bridge not in cache:
        cache[with_bridge] = render_page(with_bridge)
    return web.Response(body=cache[with_bridge], content_type="text/html", charset="utf-8",
                        headers={
                            "Content-Security-Policy": content_security_policy(
                                with_bridge, settings.webapp.frame_ancestors),
                            "Cache-Control": "no-cache",
                            "Referrer-Policy": "no-referrer",
                        })  # fmt: skip


async def static_file(request: web.Request) -> web.FileResponse:
    path = STATIC_DIR / request.match_info["name"]
    kind = CONTENT_TYPES[path.suffix]
    # modules import each other by plain names: revalidate so a deploy never mixes versions
    return web.FileResponse(
        path,
        headers={"Content-Type": kind, "Cache-Control": "no-cache"},
    )


def setup_pages(app: web.Application) -> None:
    app[PAGE_KEY] = {}
    app.router.add_get("/app", mini_app_page)
    app.router.add_get("/app/", mini_app_page)
    app.router.add_get(STATIC_PREFIX + STATIC_NAME, static_file)
