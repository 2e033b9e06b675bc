"""The gallery, one object, edits, deletion and favourites: thin views over gallery.objects."""

from __future__ import annotations

import time

from aiohttp import web

from gallery import objects
from gallery.keys import DB_POOL, MEDIA_STORE
from storage.models import UserRow
from webapp.media_urls import MediaSigner, request_signer
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

api_route = RouteTable()
OBJECT = "/objects/{object_id:\\d+}"
NOT_FOUND = {404: "not_found: no such object, or not visible to you"}


def _signer(request: web.Request) -> MediaSigner:
    return request_signer(request)


def _object_id(request: web.Request) -> int:
    return path_id(request, "object_id")


@api_route(
    "GET",
    "/objects",
    summary="The public gallery, newest first",
    query=GalleryQuery,
    response=PageOut,
    auth="optional",
    errors={400: "bad_cursor or invalid query"},
)
async def list_objects(
    request: web.Request, query: GalleryQuery, user: UserRow | None
) -> web.Response:
    async with request.config_dict[DB_POOL].acquire() as conn:
        page = await objects.gallery_page(
            conn,
            user.id if user else None,
            limit=query.limit,
            cursor=query.cursor,
            text=query.q,
            owner=query.owner,
        )
    return page_json(page, _signer(request), time.time())


async def _object(request: web.Request, object_id: int, viewer: int | None) -> ObjectOut:
    async with request.config_dict[DB_POOL].acquire() as conn:
        view = await objects.object_view(conn, object_id, viewer)
    return object_out(view, _signer(request), time.time())


@api_route(
    "GET",
    OBJECT,
    summary="One art object with its photo, owner and history",
    response=ObjectOut,
    auth="optional",
    errors=NOT_FOUND,
)
async def get_object(request: web.Request, user: UserRow | None) -> ObjectOut:
    return await _object(request, _object_id(request), user.id if user else None)


@api_route(
    "PATCH",
    OBJECT,
    summary="The owner edits title or description",
    body=ObjectEdit,
    response=ObjectOut,
    errors={**NOT_FOUND, 403: "forbidden: not the owner"},
)
async def edit_object(request: web.Request, body: ObjectEdit, user: UserRow) -> ObjectOut:
    async with request.config_dict[DB_POOL].acquire() as conn:
        await objects.edit_object(
            conn, _object_id(request), user.id, title=body.title, description=body.description
        )
    return await _object(request, _object_id(request), user.id)


@api_route(
    "DELETE",
    OBJECT,
    summary="The creator deletes an object that never changed hands",
    status=204,
    errors={**NOT_FOUND, 403: "forbidden: not the creator", 409: "moved: it has changed hands"},
)
async def delete_object(request: web.Request, user: UserRow) -> None:
    store = request.config_dict[MEDIA_STORE]
    async with request.config_dict[DB_POOL].acquire() as conn:
        await objects.delete_object(conn, store, _object_id(request), user.id)


async def _favorite(request: web.Request, user: UserRow, favorited: bool) -> FavoriteOut:
    async with request.config_dict[DB_POOL].acquire() as conn:
        state = await objects.set_favorite(conn, user.id, _object_id(request), favorited)
    return FavoriteOut(favorited=state.favorited, favorite_count=state.favorite_count)


@api_route(
    "PUT",
    OBJECT + "/favorite",
    summary="Add to my favourites (idempotent)",
    response=FavoriteOut,
    errors=NOT_FOUND,
)
async def add_favorite(request: web.Request, user: UserRow) -> FavoriteOut:
    return await _favorite(request, user, True)


@api_route(
    "DELETE",
    OBJECT + "/favorite",
    summary="Remove from my favourites (idempotent)",
    response=FavoriteOut,
    errors=NOT_FOUND,
)
async def remove_favorite(request: web.Request, user: UserRow) -> FavoriteOut:
    return await _favorite(request, user, False)


@api_route(
    "GET",
    "/me/objects",
    summary="What I own, newest first",
    query=PageQuery,
    response=PageOut,
    errors={400: "bad_cursor"},
)
async def list_my_objects(request: web.Request, query: PageQuery, user: UserRow) -> web.Response:
    async with request.config_dict[DB_POOL].acquire() as conn:
        page = await objects.my_objects(conn, user.id, limit=query.limit, cursor=query.cursor)
    return page_json(page, _signer(request), time.time())


@api_route(
    "GET",
    "/me/favorites",
    summary="My favourites, latest first",
    query=PageQuery,
    response=PageOut,
    errors={400: "bad_cursor"},
)
async def list_my_favorites(request: web.Request, query: PageQuery, user: UserRow) -> web.Response:
    async with request.config_dict[DB_POOL].acquire() as conn:
        page = await objects.my_favorites(conn, user.id, limit=query.limit, cursor=query.cursor)
    return page_json(page, _signer(request), time.time())


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
