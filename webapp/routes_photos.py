"""POST /api/photos: a streamed upload becomes an art object."""

from __future__ import annotations

import time

from aiohttp import web

from gallery import objects
from gallery.keys import DB_POOL, IMAGE_POOLS, MEDIA_STORE, SETTINGS
from gallery.photos import create_photo_object
from storage.models import UserRow
from webapp.media_urls import MediaSigner
from webapp.object_views import ObjectOut, object_out
from webapp.routing import RouteTable
from webapp.uploads import read_upload_form

api_route = RouteTable()

UPLOAD_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "string",
                        "format": "binary",
                        "description": "JPEG, PNG, WebP or GIF",
                    },
                    "title": {"type": "string", "maxLength": objects.TITLE_MAX},
                    "description": {"type": "string", "maxLength": objects.DESCRIPTION_MAX},
                },
            }
        }
    },
}


@api_route(
    "POST",
    "/photos",
    summary="Upload a photo; it becomes my art object",
    body=None,
    request_body=UPLOAD_FORM,
    response=ObjectOut,
    status=201,
    errors={
        400: "unsupported_type, truncated, corrupt, too_many_pixels, decompression_bomb, "
        "invalid_title, invalid_description, missing_file or bad_form",
        409: "duplicate or near_duplicate: names the object already in the gallery",
        413: "too_large: over media.max_bytes, refused while streaming",
        415: "unsupported_media_type: not multipart/form-data",
    },
)
async def upload_photo(request: web.Request, user: UserRow) -> ObjectOut:
    settings = request.config_dict[SETTINGS]
    form = await read_upload_form(request, settings.media.max_bytes)
    pool = request.config_dict[DB_POOL]
    created = await create_photo_object(
        pool,
        request.config_dict[MEDIA_STORE],
        request.config_dict[IMAGE_POOLS],
        settings,
        uploader=user.id,
        data=form.data,
        title=form.title,
        description=form.description,
    )
    async with pool.acquire() as conn:
        view = await objects.object_view(conn, created.object.id, user.id)
    return object_out(view, MediaSigner.from_settings(settings), time.time())


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
