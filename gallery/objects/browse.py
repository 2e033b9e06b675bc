"""Looking at art objects: the gallery and search, a person's own, one object in full."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from gallery.inputs import checked_text
from storage import history, objects, pages
from storage.db import Connection
from storage.errors import DomainError
from storage.history import HistoryEntry
from storage.objects import ObjectDetail
from storage.pages import Cursor, GalleryQuery, Page

MAX_PAGE = 60
DEFAULT_PAGE = 30
TITLE_MAX = 200
DESCRIPTION_MAX = 4000
QUERY_MAX = 200


@dataclass(frozen=True)
class ObjectView:
    detail: ObjectDetail
    history: list[HistoryEntry]


@asynccontextmanager
async def connection(db: asyncpg.Pool | Connection) -> AsyncIterator[Connection]:
    """A pool's connection for the block, or the caller's own connection as it is."""
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:
        yield db


def clean_title(title: str) -> str:
    title = " ".join(checked_text(title, code="invalid_title").split())
    if not 1 <= len(title) <= TITLE_MAX:
        raise DomainError(f"a title has 1 to {TITLE_MAX} characters", code="invalid_title")
    return title


def clean_description(description: str) -> str:
    description = checked_text(description, code="invalid_description").strip()
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(
            f"a description has at most {DESCRIPTION_MAX} characters", code="invalid_description"
        )
    return description


def page_size(limit: int | None) -> int:
    limit = DEFAULT_PAGE if limit is None else limit
    if not 1 <= limit <= MAX_PAGE:
        raise DomainError(f"limit is 1 to {MAX_PAGE}", code="invalid_limit")
    return limit


def parse_cursor(cursor: str | None) -> Cursor | None:
    return Cursor.decode(cursor) if cursor else None


async def gallery_page(
    conn: Connection,
    viewer: int | None,
    *,
    limit: int | None = None,
    cursor: str | None = None,
    text: str | None = None,
    owner: int | None = None,
) -> Page:
    """The public gallery, newest first; `text` searches titles and descriptions."""
    text = " ".join((text or "").split())[:QUERY_MAX] or None
    query = GalleryQuery(viewer, page_size(limit), parse_cursor(cursor), owner, text)
    return await pages.list_gallery(conn, query)


async def my_objects(
    conn: Connection, user_id: int, *, limit: int | None = None, cursor: str | None = None
) -> Page:
    return await gallery_page(conn, user_id, limit=limit, cursor=cursor, owner=user_id)


async def object_view(conn: Connection, object_id: int, viewer: int | None) -> ObjectView:
    detail = await objects.get_object_detail(conn, object_id, viewer)
    return ObjectView(detail, await history.get_history(conn, object_id, viewer))
