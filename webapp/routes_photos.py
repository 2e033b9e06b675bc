"""POST /api/photos: a streamed upload becomes an art object."""

from __future__ import annotations

import time

from aiohttp import web

from gallery.objects import browse
from gallery.photos.intake import create_photo_object
from storage.models import UserRow
from webapp.object_views import ObjectOut, object_out
from webapp.routing import RouteTable
from webapp.services import WebServices
from webapp.uploads import Pace, read_upload_form

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
                    "title": {"type": "string", "maxLength": browse.TITLE_MAX},
                    "description": {"type": "string", "maxLength": browse.DESCRIPTION_MAX},
                },
            }
        }
    },
}


@api_route(
    "POST",
    "/photos",
    summary="Upload a photo; it becomes my art object",
    limit="upload",
    body=None,
    request_body=UPLOAD_FORM,
    response=ObjectOut,
    status=201,
    errors={
        400: "unsupported_type, truncated, corrupt, too_many_pixels, decompression_bomb, "
        "invalid_title, invalid_description, missing_file or bad_form",
        408: "upload_timeout: no bytes for media.upload_idle_s, or not all of the body within "
        "media.upload_deadline_s",
        409: "duplicate or near_duplicate: names the object already in the gallery",
        413: "too_large: over media.max_bytes, refused while streaming; quota_exceeded: the "
        "person's storage quota (limits.quota_objects, limits.quota_bytes) is used up",
        429: "rate_limited: over the upload rate of this person or address, or the day's "
        "photos or bytes (limits.uploads_per_day, limits.upload_bytes_per_day)",
        415: "unsupported_media_type: not multipart/form-data",
    },
)
async def upload_photo(request: web.Request, user: UserRow, services: WebServices) -> ObjectOut:
    """No connection is held while the upload streams in and renders (the route takes none):
    the pipeline takes one only to store the result."""
    settings = services.settings
    pace = Pace(settings.media.upload_idle_s, settings.media.upload_deadline_s)
    form = await read_upload_form(request, settings.media.max_bytes, pace)
    created = await create_photo_object(
        services.pool,
        services.store,
        services.image_pools,
        settings,
        uploader=user.id,
        data=form.data,
        title=form.title,
        description=form.description,
    )
    async with services.pool.acquire() as conn:
        view = await browse.object_view(conn, created.object.id, user.id)
    return object_out(view, services.signer, time.time())


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
