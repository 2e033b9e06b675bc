"""Media over MAX's side hosts: the three-step image upload and a size-capped download.

Neither side host gets the bot token: clients upload without it, and user-sent media URLs are
plain links (MAX does not document needing auth there), so the token never leaves the API host.
"""

import io
import mimetypes

import aiohttp
from yarl import URL

from bot.errors import MaxProtocolError, MediaTooLarge, error_from_response
from bot.transport import (
    TRANSPORT_ERRORS,
    Answer,
    MaxTimeouts,
    MaxTransport,
    Outgoing,
    env_proxy,
    network_error,
    parse_json,
    parse_model,
)
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
    response = await upload(transport, timeouts, endpoint.url, data, filename)
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
    response = await upload(transport, timeouts, endpoint.url, data, filename)
    uploaded = parse_json(response.content)
    token = uploaded.get("token") if isinstance(uploaded, dict) else None
    if not isinstance(token, str) or not token:
        raise MaxProtocolError("the upload host returned no file token")
    return FileAttachmentRequest(payload=TokenPayload(token=token))


async def upload(
    transport: MaxTransport, timeouts: MaxTimeouts, url: str, data: bytes, filename: str
) -> Answer:
    """POST `data` as the multipart field `data` to the upload URL MAX handed out, without the
    bot token, unpaced (the upload host is not the Bot API)."""
    form = aiohttp.FormData()
    # a file object: aiohttp warns that raw bytes over 1 MB block the loop while they are written
    body = io.BytesIO(data)
    form.add_field("data", body, filename=filename, content_type=_content_type(filename))
    target = URL(url)
    proxy, proxy_auth = env_proxy(target)
    request = Outgoing(
        "POST", target, timeouts.media_transfer(), data=form, proxy=proxy, proxy_auth=proxy_auth
    )
    return await transport.round_trip(request)


def _content_type(filename: str) -> str:
    """What httpx sent for a file part: the type its name suggests, else octet-stream."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


async def download(
    transport: MaxTransport, timeouts: MaxTimeouts, url: str, max_bytes: int
) -> bytes:
    """Fetch user-sent media, refusing as soon as it is known to exceed `max_bytes`."""
    target, limits = URL(url), timeouts.media_transfer()
    response = await transport.retry_connect(lambda: _open_stream(transport.http, target, limits))
    try:
        body = await _read_capped(response, max_bytes)
    except TRANSPORT_ERRORS as error:
        response.close()
        raise network_error(error) from error
    except BaseException:
        response.close()  # stop the transfer now: the connection is not worth keeping
        raise
    response.release()
    return body


async def _open_stream(
    http: aiohttp.ClientSession, url: URL, limits: aiohttp.ClientTimeout
) -> aiohttp.ClientResponse:
    try:
        proxy, proxy_auth = env_proxy(url)
        return await http.get(
            url, timeout=limits, allow_redirects=True, proxy=proxy, proxy_auth=proxy_auth
        )
    except TRANSPORT_ERRORS as error:
        raise network_error(error) from error


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    if not 200 <= response.status < 300:
        body = await _read_prefix(response, _ERROR_BODY_BYTES)
        raise error_from_response(response.status, body, response.headers)
    declared = _declared_length(response)
    if declared is not None and declared > max_bytes:
        raise MediaTooLarge(max_bytes, declared)
    received = bytearray()
    async for chunk in response.content.iter_any():
        received += chunk
        if len(received) > max_bytes:
            raise MediaTooLarge(max_bytes, declared)
    return bytes(received)


async def _read_prefix(response: aiohttp.ClientResponse, limit: int) -> bytes:
    received = bytearray()
    async for chunk in response.content.iter_any():
        received += chunk
        if len(received) >= limit:
            break
    return bytes(received[:limit])


def _declared_length(response: aiohttp.ClientResponse) -> int | None:
    value = response.headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None
