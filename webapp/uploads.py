"""Streamed multipart uploads: the byte limit is counted while reading, never after, and the
pace is watched: a body that stops arriving, or takes too long in all, is refused (408).

aiohttp's client_max_size covers only bodies read whole (request.read/post); a multipart
body read part by part is not limited at all unless the reader counts. Nor does aiohttp time a
body out: an upload that stopped half-way held its connection and the bytes read so far for as
long as the client kept the socket open (the request budget does not cover uploads, which
arrive at the sender's pace: webapp/errors.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from gallery.inputs import checked_text
from gallery.photos.intake import PhotoTooLarge
from storage.errors import DomainError
from webapp.errors import UnsupportedMediaType

T = TypeVar("T")
CHUNK_BYTES = 64 * 1024
TEXT_FIELD_BYTES = 16 * 1024
# Room for the text fields, part headers and boundaries around the file.
FORM_OVERHEAD_BYTES = 64 * 1024
TEXT_FIELDS = ("title", "description")


class UploadTooSlow(DomainError):
    code = "upload_timeout"
    status = 408


@dataclass(frozen=True)
class Pace:
    """How slowly an upload may arrive: `idle_s` with no bytes at all, `whole_s` in all."""

    idle_s: float
    whole_s: float

    def refusal(self) -> UploadTooSlow:
        return UploadTooSlow(
            f"The photo arrived too slowly (nothing for {self.idle_s:g} s, or not all of it "
            f"within {self.whole_s:g} s); try again on a better connection."
        )


@dataclass(frozen=True)
class UploadForm:
    data: bytes
    title: str | None
    description: str


def _too_large(limit: int) -> PhotoTooLarge:
    return PhotoTooLarge(f"The file is larger than {limit / 1_000_000:g} MB.")


async def read_part(part: BodyPartReader, limit: int, error: DomainError, idle_s: float) -> bytes:
    """The part's bytes, or `error` as soon as more than `limit` arrive; TimeoutError when
    none arrive for `idle_s`."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await _within(idle_s, part.read_chunk(CHUNK_BYTES)):
        size += len(chunk)
        if size > limit:
            raise error
        chunks.append(chunk)
    return b"".join(chunks)


async def _within(seconds: float, awaitable: Awaitable[T]) -> T:
    async with asyncio.timeout(seconds):
        return await awaitable


async def _read_text(part: BodyPartReader, idle_s: float) -> str:
    too_long = DomainError(f"{part.name} is too long", code=f"invalid_{part.name}")
    raw = await read_part(part, TEXT_FIELD_BYTES, too_long, idle_s)
    try:
        text = raw.decode(part.get_charset("utf-8"))
    except (UnicodeDecodeError, LookupError):
        raise DomainError(f"{part.name} is not UTF-8 text", code=f"invalid_{part.name}") from None
    return checked_text(text, code=f"invalid_{part.name}")


def _check_declared_length(request: web.Request, max_bytes: int) -> None:
    if request.content_type != "multipart/form-data":
        raise UnsupportedMediaType(f"expected multipart/form-data, got {request.content_type}")
    declared = request.content_length
    if declared is not None and declared > max_bytes + FORM_OVERHEAD_BYTES:
        raise _too_large(max_bytes)


async def read_upload_form(request: web.Request, max_bytes: int, pace: Pace) -> UploadForm:
    """Fields `file` (required), `title` and `description`, in any order."""
    _check_declared_length(request, max_bytes)
    try:
        async with asyncio.timeout(pace.whole_s):
            data, text = await _read_parts(request, max_bytes, pace.idle_s)
    except TimeoutError:
        raise pace.refusal() from None
    except (ValueError, HttpProcessingError):
        # aiohttp's words for a broken form: no boundary in the type, no starting boundary in the
        # body, a body that ends inside a part (ValueError); a part header that is no header
        raise DomainError("the multipart form is malformed", code="bad_form") from None
    if data is None:
        raise DomainError("attach the photo as the form field `file`", code="missing_file")
    return UploadForm(data, text.get("title"), text.get("description", ""))


async def _read_parts(
    request: web.Request, max_bytes: int, idle_s: float
) -> tuple[bytes | None, dict[str, str]]:
    data: bytes | None = None
    text: dict[str, str] = {}
    reader = await request.multipart()  # reads nothing yet: its first part is awaited below
    while (part := await _within(idle_s, reader.next())) is not None:
        if not isinstance(part, BodyPartReader) or part.name not in ("file", *TEXT_FIELDS):
            raise DomainError("expected the fields file, title and description", code="bad_form")
        if part.name == "file":
            data = await read_part(part, max_bytes, _too_large(max_bytes), idle_s)
        else:
            text[part.name] = await _read_text(part, idle_s)
    return data, text
