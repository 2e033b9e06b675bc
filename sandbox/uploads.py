import mimetypes
import secrets

from aiohttp import BodyPartReader, web

from sandbox.clock import new_int64_id, new_opaque_id
from sandbox.errors import ApiError, not_found, proto_payload
from sandbox.state import SANDBOX_STATE, MediaItem, PendingUpload, SandboxState

UPLOAD_KINDS = ("image", "video", "audio", "file")


async def request_upload(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    kind = request.query.get("type")
    if not kind:
        raise proto_payload("Missing required parameter: type")
    if kind not in UPLOAD_KINDS:
        raise proto_payload(f"Invalid upload type: {kind}")
    # Only video/audio get their token up front; image/file tokens come from the upload host
    # (docs/max-platform.md, Uploading media).
    token = new_opaque_id() if kind in ("video", "audio") else None
    upload = PendingUpload(upload_id=secrets.token_urlsafe(16), kind=kind, token=token)
    state.uploads[upload.upload_id] = upload
    body: dict[str, str] = {"url": f"{state.base_url}/_upload/{kind}/{upload.upload_id}"}
    if token is not None:
        body["token"] = token
    return web.json_response(body)


def guess_type(filename: str, declared: str | None) -> str:
    if declared and declared != "application/octet-stream":
        return declared
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def add_media(state: SandboxState, kind: str, data: bytes, filename: str,
              content_type: str, token: str | None = None) -> MediaItem:
    item = MediaItem(media_id=secrets.token_urlsafe(12), kind=kind, data=data,
                     content_type=content_type, filename=filename,
                     token=token or new_opaque_id(),
                     photo_id=new_int64_id() if kind == "image" else None)
    state.media[item.media_id] = item
    state.media_by_token[item.token] = item
    return item


async def read_limited(part: BodyPartReader, limit: int) -> bytes:
    data = bytearray()
    while chunk := await part.read_chunk():
        data.extend(chunk)
        if len(data) > limit:
            raise ApiError(413, "file.too.large", f"File exceeds {limit} bytes")
    return bytes(data)


async def read_data_part(request: web.Request, limit: int) -> tuple[bytes, str, str]:
    reader = await request.multipart()
    async for part in reader:
        if isinstance(part, BodyPartReader) and part.name == "data":
            data = await read_limited(part, limit)
            filename = part.filename or "upload.bin"
            declared = part.headers.get("Content-Type")
            return bytes(data), filename, guess_type(filename, declared)
    raise proto_payload("Missing multipart field: data")


async def receive_upload(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    upload = state.uploads.get(request.match_info["upload_id"])
    if upload is None or upload.kind != request.match_info["kind"]:
        raise not_found("Upload URL not found or already used")
    data, filename, content_type = await read_data_part(request, state.config.media_max_bytes)
    del state.uploads[upload.upload_id]  # one URL = one file
    item = add_media(state, upload.kind, data, filename, content_type, upload.token)
    if upload.kind == "image":
        return web.json_response({"photos": {str(item.photo_id): {"token": item.token}}})
    if upload.kind == "file":
        return web.json_response({"fileId": item.photo_id or new_int64_id(), "token": item.token})
    return web.Response(text="<retval>1</retval>", content_type="application/xml")


async def serve_media(request: web.Request) -> web.Response:
    item = request.app[SANDBOX_STATE].media.get(request.match_info["media_id"])
    if item is None:
        raise not_found("Media not found")
    return web.Response(body=item.data, content_type=item.content_type)
