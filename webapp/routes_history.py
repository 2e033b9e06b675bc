"""GET /api/objects/{id}/history: who owned an object, and how it came to them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import Field, RootModel

from gallery.objects.history import object_history
from storage.db import Connection
from storage.history import HistoryEntry
from storage.models import Language, UserRow
from webapp.history_texts import history_line
from webapp.object_views import Out, Person, Query, person_or_hidden
from webapp.routing import RouteTable, path_id

api_route = RouteTable()


class HistoryQuery(Query):
    lang: Language | None = Field(None, description="language of `text`; default: mine, or en")


class EventOut(Out):
    event: Literal["created", "transfer", "trade"]
    from_: Person | None = Field(
        alias="from", description="null at creation, or when that person is hidden from you"
    )
    to: Person | None = Field(description="null when that person is hidden from you")
    at: datetime
    text: str


class HistoryOut(RootModel[list[EventOut]]):
    """A JSON array of events, oldest first."""


def event_out(entry: HistoryEntry, language: Language) -> EventOut:
    return EventOut(
        event=entry.reason, from_=person_or_hidden(entry.from_user_id, entry.from_name),
        to=person_or_hidden(entry.to_user_id, entry.to_name), at=entry.created_at,
        text=history_line(entry, language),
    )  # fmt: skip


@api_route(
    "GET",
    "/objects/{object_id:\\d+}/history",
    summary="An object's owners, oldest first, with a readable line for each change",
    query=HistoryQuery,
    response=HistoryOut,
    auth="optional",
    errors={404: "not_found: no such object, or not visible to you"},
)
async def get_history(
    request: web.Request, query: HistoryQuery, user: UserRow | None, conn: Connection
) -> HistoryOut:
    language: Language = query.lang or (user.language if user is not None else "en")
    entries = await object_history(conn, path_id(request, "object_id"), user.id if user else None)
    return HistoryOut([event_out(e, language) for e in entries])


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
