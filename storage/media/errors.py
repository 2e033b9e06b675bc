"""What a failed call to the object store says: short, and never a key, a signature or a URL
with credentials in it (obstore's own messages carry request URLs and whole XML bodies)."""

from __future__ import annotations

import re

from storage.media.base import MediaUnavailable

_S3_CODE = re.compile(r"<Code>([A-Za-z]{1,64})</Code>")
_STATUS = re.compile(r"status code: ([0-9]{3})")


def short_reason(exc: Exception) -> str:
    text = str(exc)
    if code := _S3_CODE.search(text):
        return code[1]  # NoSuchBucket, SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied
    if status := _STATUS.search(text):
        return f"HTTP {status[1]}"
    lowered = text.lower()
    if "error sending request" in lowered:  # refused, reset, no route, name not resolved
        return "unreachable"
    if "timed out" in lowered:  # not "timeout": the debug dump names retry_timeout always
        return "timed out"
    return type(exc).__name__


def unavailable(where: str, exc: Exception) -> MediaUnavailable:
    reason = short_reason(exc)
    return MediaUnavailable(f"{where}: {reason}", reason)
