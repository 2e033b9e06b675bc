"""The gallery, one object, edits, deletion and favourites: thin views over gallery/objects/."""

from __future__ import annotations

import time

from aiohttp import web

from gallery import favorites
from gallery.objects import browse, edit
from storage.db import Connection
from storage.models import UserRow
from webapp.object_views import (
    FavoriteOut,
    GalleryQuery,
    ObjectEdit,
    ObjectOut,
    PageOut,
    PageQuery,
    object_out,
    page_json,
)
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices

api_route = RouteTable()
OBJECT = "/objects/{object_id:\\d+}"
NOT_FOUND = {404: "not_found: no such object, or not visible to you"}


def _object_id(request: web.Request) -> int:
    return path_id(request, "object_id")


@api_route(
    "GET",
    "/objects",
    summary="The public gallery, newest first",
    limit="search",
    query=GalleryQuery,
    response=PageOut,
    auth="optional",
    errors={400: "bad_cursor or invalid query"},
)
async def list_objects(
    request: web.Request, query: GalleryQuery, user: UserRow | None, conn: Connection,
    services: WebServices,
) -> web.Response:  # fmt: skip
    page = await browse.gallery_page(
        conn, user.id if user else None, limit=query.limit, cursor=query.cursor, text=query.q,
        owner=query.owner,
    )  # fmt: skip
    return page_json(page, services.signer, time.time())


async def _object(
    conn: Connection, services: WebServices, object_id: int, viewer: int | None
) -> ObjectOut:
    view = await browse.object_view(conn, object_id, viewer)
    return object_out(
        view, services.signer, time.time(), hold_hours=services.settings.rules.hold_hours
    )


@api_route(
    "GET",
    OBJECT,
    summary="One art object with its photo, owner and history",
    response=ObjectOut,
    auth="optional",
    errors=NOT_FOUND,
)
async def get_object(
    request: web.Request, user: UserRow | None, conn: Connection, services: WebServices
) -> ObjectOut:
    return await _object(conn, services, _object_id(request), user.id if user else None)


@api_route(
    "PATCH",
    OBJECT,
    summary="The owner edits title or description",
    body=ObjectEdit,
    response=ObjectOut,
    errors={**NOT_FOUND, 403: "forbidden: not the owner"},
)
async def edit_object(
    request: web.Request, body: ObjectEdit, user: UserRow, conn: Connection,
    services: WebServices,
) -> ObjectOut:  # fmt: skip
    object_id = _object_id(request)
    await edit.edit_object(
        conn, object_id, user.id, title=body.title, description=body.description
    )
    return await _object(conn, services, object_id, user.id)


@api_route(
    "DELETE",
    OBJECT,
    summary="The creator deletes an object that never changed hands",
    status=204,
    errors={**NOT_FOUND, 403: "forbidden: not the creator", 409: "moved: it has changed hands"},
)
async def delete_object(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> None:
    await edit.delete_object(conn, services.store, _object_id(request), user.id)


async def _favorite(
    request: web.Request, user: UserRow, conn: Connection, favorited: bool
) -> FavoriteOut:
    state = await favorites.set_favorite(conn, user.id, _object_id(request), favorited)
    return FavoriteOut(favorited=state.favorited, favorite_count=state.favorite_count)


@api_route(
    "PUT",
    OBJECT + "/favorite",
    summary="Add to my favourites (idempotent)",
    limit="favorite",
    response=FavoriteOut,
    errors=NOT_FOUND,
)
async def add_favorite(request: web.Request, user: UserRow, conn: Connection) -> FavoriteOut:
    return await _favorite(request, user, conn, True)


@api_route(
    "DELETE",
    OBJECT + "/favorite",
    summary="Remove from my favourites (idempotent)",
    limit="favorite",
    response=FavoriteOut,
    errors=NOT_FOUND,
)
async def remove_favorite(request: web.Request, user: UserRow, conn: Connection) -> FavoriteOut:
    return await _favorite(request, user, conn, False)


@api_route(
    "GET",
    "/me/objects",
    summary="What I own, newest first",
    query=PageQuery,
    response=PageOut,
    errors={400: "bad_cursor"},
)
async def list_my_objects(
    request: web.Request, query: PageQuery, user: UserRow, conn: Connection,
    services: WebServices,
) -> web.Response:  # fmt: skip
    page = await browse.my_objects(conn, user.id, limit=query.limit, cursor=query.cursor)
    return page_json(page, services.signer, time.time())


@api_route(
    "GET",
    "/me/favorites",
    summary="My favourites, latest first",
    query=PageQuery,
    response=PageOut,
    errors={400: "bad_cursor"},
)
async def list_my_favorites(
    request: web.Request, query: PageQuery, user: UserRow, conn: Connection,
    services: WebServices,
) -> web.Response:  # fmt: skip
    page = await favorites.my_favorites(conn, user.id, limit=query.limit, cursor=query.cursor)
    return page_json(page, services.signer, time.time())


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
