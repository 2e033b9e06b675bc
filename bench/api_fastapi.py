"""bench/api.py's second reference: FastAPI on uvicorn answering GET /api/objects with the app's
statement and the same JSON as bench/api_reference.py. Needs the optional bench extra
(`pip install -e '.[bench]'`); bench/api.py starts it in a process of its own:

    python bench/api_fastapi.py DATABASE_URL PORT [HTTP] [STYLE]

HTTP is uvicorn's parser: auto (httptools when installed, as the bench extra does), httptools
or h11 (pure Python, what a bare `pip install uvicorn` gives). STYLE is how the view is written:
`idiomatic` (the default) as FastAPI's docs teach — the connection from a `Depends`, a pydantic
`response_model` the framework validates and encodes; `lean` — the pool from the app's state and
orjson bytes in a plain Response, the least FastAPI can do.
"""

from __future__ import annotations

import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import jwt
import orjson

# not installed without the bench extra, where mypy still reads this file (CI installs `test`)
import uvicorn  # type: ignore[import-not-found, unused-ignore]
from fastapi import (  # type: ignore[import-not-found, unused-ignore]
    Depends,
    FastAPI,
    Request,
    Response,
)
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api_reference import PAGE, first_page_sql, reference_item
from config.settings import Settings
from webapp.media_urls import MediaSigner


class OwnerOut(BaseModel):
    id: int
    name: str
    avatar: str | None


class MediaOut(BaseModel):
    thumb: str
    preview: str
    full: str | None


class ItemOut(BaseModel):
    id: int
    title: str
    created_at: datetime
    owner: OwnerOut
    width: int
    height: int
    placeholder: str | None
    media: MediaOut


class PageOut(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None


def viewer_of(request: Request, jwt_key: bytes) -> int | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    claims = jwt.decode(header.removeprefix("Bearer "), jwt_key, algorithms=["HS256"])
    return int(claims["sub"])


async def connection(request: Request) -> AsyncIterator[asyncpg.Connection]:
    async with request.app.state.pool.acquire() as conn:
        yield conn


def page_view(style: str) -> Callable[..., Any]:
    sql = first_page_sql()
    settings = Settings()
    signer, jwt_key = MediaSigner.from_settings(settings), settings.derived_key("jwt")

    async def page(request: Request, conn: asyncpg.Connection) -> dict[str, Any]:
        rows = await conn.fetch(sql, viewer_of(request, jwt_key), PAGE + 1)
        now = time.time()
        items = [reference_item(row, signer, now) for row in rows[:PAGE]]
        return {"items": items, "next_cursor": "x" if len(rows) > PAGE else None}

    async def idiomatic(
        request: Request, conn: Annotated[asyncpg.Connection, Depends(connection)]
    ) -> Any:
        return await page(request, conn)

    async def lean(request: Request) -> Response:
        async with request.app.state.pool.acquire() as conn:
            body = await page(request, conn)
        return Response(content=orjson.dumps(body), media_type="application/json")

    return idiomatic if style == "idiomatic" else lean


def fastapi_app(database_url: str, style: str) -> Any:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with asyncpg.create_pool(database_url, min_size=2, max_size=10) as pool:
            app.state.pool = pool
            yield

    app = FastAPI(lifespan=lifespan)
    model = PageOut if style == "idiomatic" else None
    app.add_api_route("/api/objects", page_view(style), methods=["GET"], response_model=model)
    return app


def serve(database_url: str, port: int, http: str = "auto", style: str = "idiomatic") -> None:
    uvicorn.run(
        fastapi_app(database_url, style),
        host="127.0.0.1",
        port=port,
        http=http,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]), *sys.argv[3:5])
