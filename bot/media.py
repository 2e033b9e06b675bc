"""Media over MAX's side hosts: the three-step image upload and a size-capped download.

Neither side host gets the bot token: clients upload without it, and user-sent media URLs are
plain links (MAX does not document needing auth there), so the token never leaves the API host.
"""

import httpx

from bot.errors import MaxProtocolError, MediaTooLarge, error_from_response
from bot.transport import MaxTimeouts, MaxTransport, network_error, parse_json, parse_model
from bot.types import (
    FileAttachmentRequest,
    ImageAttachmentRequest,
    PhotoRequestPayload,
    PhotoUploadResult,
    TokenPayload,
    UploadEndpoint,
)

# How much of a failed download's body is kept for its error message.
_ERROR_BODY_BYTES = 4096


async def upload_image(
    transport: MaxTransport, timeouts: MaxTimeouts, data: bytes, filename: str
) -> ImageAttachmentRequest:
    """Upload one image and return the attachment request that sends it."""
    endpoint = parse_model(
        UploadEndpoint, await transport.call("POST", "/uploads", params={"type": "image"})
    )
    request = transport.http.build_request(
        "POST", endpoint.url, files={"data": (filename, data)}, timeout=timeouts.media_transfer()
    )
    del request.headers["Authorization"]
    response = await transport.round_trip(request)
    uploaded = parse_model(PhotoUploadResult, parse_json(response.content))
    if not uploaded.photos:
        raise MaxProtocolError("the upload host returned no photo token")
    token = next(iter(uploaded.photos.values())).token
    return ImageAttachmentRequest(payload=PhotoRequestPayload(token=token))


async def upload_file(
    transport: MaxTransport, timeouts: MaxTimeouts, data: bytes, filename: str
) -> FileAttachmentRequest:
    """Upload one file (the upload host answers {"fileId", "token"}) and return the attachment
    that sends it; MAX allows one file per message."""
    endpoint = parse_model(
        UploadEndpoint, await transport.call("POST", "/uploads", params={"type": "file"})
    )
    request = transport.http.build_request(
        "POST", endpoint.url, files={"data": (filename, data)}, timeout=timeouts.media_transfer()
    )
    del request.headers["Authorization"]
    response = await transport.round_trip(request)
    uploaded = parse_json(response.content)
    token = uploaded.get("token") if isinstance(uploaded, dict) else None
    if not isinstance(token, str) or not token:
        raise MaxProtocolError("the upload host returned no file token")
    return FileAttachmentRequest(payload=TokenPayload(token=token))


async def download(
    transport: MaxTransport, timeouts: MaxTimeouts, url: str, max_bytes: int
) -> bytes:
    """Fetch user-sent media, refusing as soon as it is known to exceed `max_bytes`."""
    request = transport.http.build_request("GET", url, timeout=timeouts.media_transfer())
    del request.headers["Authorization"]
    response = await transport.retry_connect(lambda: _open_stream(transport.http, request))
    try:
        return await _read_capped(response, max_bytes)
    except httpx.TransportError as error:
        raise network_error(error) from error
    finally:
        await response.aclose()


async def _open_stream(http: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
    try:
        return await http.send(request, stream=True, follow_redirects=True)
    except httpx.TransportError as error:
        raise network_error(error) from error


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    if not response.is_success:
        body = await _read_prefix(response, _ERROR_BODY_BYTES)
        raise error_from_response(response.status_code, body, response.headers)
    declared = _declared_length(response)
    if declared is not None and declared > max_bytes:
        raise MediaTooLarge(max_bytes, declared)
    received = bytearray()
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) > max_bytes:
            raise MediaTooLarge(max_bytes, declared)
    return bytes(received)


async def _read_prefix(response: httpx.Response, limit: int) -> bytes:
    received = bytearray()
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= limit:
            break
    return bytes(received[:limit])


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None
