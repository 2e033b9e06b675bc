"""The reference for bench/api.py: a bare aiohttp + asyncpg server that answers
GET /api/objects with the app's statement and the same JSON (signed media URLs, orjson), and
nothing else. bench/api.py starts it in a process of its own:

    python bench/api_reference.py DATABASE_URL PORT
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import jwt
import orjson
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.settings import Settings
from server.cli import new_event_loop
from storage.pages import ITEM_SELECT, ItemStatement
from webapp.media_urls import MediaSigner

PAGE = 30  # the page bench/api.py asks the app for


def first_page_sql() -> str:
    select = ITEM_SELECT.format(sort_at="o.created_at", source="art_objects o")
    return ItemStatement(None).sql(select, "o.created_at", PAGE)


def reference_viewer(request: web.Request, jwt_key: bytes) -> int | None:
    """The access token's subject, its signature checked; None without a token."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    claims = jwt.decode(header.removeprefix("Bearer "), jwt_key, algorithms=["HS256"])
    return int(claims["sub"])


def reference_app(database_url: str) -> web.Application:
    sql = first_page_sql()
    settings = Settings()
    signer, jwt_key = MediaSigner.from_settings(settings), settings.derived_key("jwt")
    pool_key = web.AppKey("pool", asyncpg.Pool)

    async def handler(request: web.Request) -> web.Response:
        viewer = reference_viewer(request, jwt_key)
        async with request.app[pool_key].acquire() as conn:
            rows = await conn.fetch(sql, viewer, PAGE + 1)
        now = time.time()
        items = [reference_item(row, signer, now) for row in rows[:PAGE]]
        body = {"items": items, "next_cursor": "x" if len(rows) > PAGE else None}
        return web.Response(body=orjson.dumps(body), content_type="application/json")

    async def pool_ctx(app: web.Application) -> Any:
        async with asyncpg.create_pool(database_url, min_size=2, max_size=10) as pool:
            app[pool_key] = pool
            yield

    app = web.Application()
    app.cleanup_ctx.append(pool_ctx)
    app.router.add_get("/api/objects", handler)
    return app


def reference_item(row: asyncpg.Record, signer: MediaSigner, now: float) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "created_at": row["created_at"],
        "owner": {"id": row["owner_id"], "name": row["owner_name"], "avatar": row["owner_avatar"]},
        "width": row["width"],
        "height": row["height"],
        "placeholder": row["placeholder"],
        "media": {
            "thumb": signer.url_for_key(row["photo_id"], row["thumb_key"], now),
            "preview": signer.url_for_key(row["photo_id"], row["preview_key"], now),
            "full": None,
        },
    }


def serve_reference(database_url: str, port: int) -> None:
    web.run_app(
        reference_app(database_url),
        port=port,
        host="127.0.0.1",
        loop=new_event_loop(),
        print=None,
        access_log=None,
    )


if __name__ == "__main__":
    serve_reference(sys.argv[1], int(sys.argv[2]))
