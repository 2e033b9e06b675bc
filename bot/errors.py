"""Typed errors of the MAX client, and the one place an HTTP answer becomes one of them.

`safe_to_retry` answers the only question an outbox needs: can sending the same request again
neither duplicate what MAX already did nor be pointless? MAX has no idempotency key, so that holds
only when MAX certainly refused the request (429, 503, attachment.not.ready) or it never left us.
"""

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import orjson

# Waits applied when MAX does not send Retry-After (it does not document one).
DEFAULT_RATE_LIMIT_WAIT_S = 1.0
DEFAULT_UNAVAILABLE_WAIT_S = 5.0


class MaxError(Exception):
    """Anything the MAX client raises about MAX or the way to it."""

    @property
    def safe_to_retry(self) -> bool:
        return False

    @property
    def outcome_unknown(self) -> bool:
        """MAX may have done it although no answer said so (a timeout, a 500/502/504): sending
        again is safe only after looking whether it did (bot/push_delivery.py)."""
        return False


class MaxApiError(MaxError):
    """MAX answered with an error body: `{"code": "...", "message": "..."}`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"MAX answered {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class MaxBadRequest(MaxApiError):
    """400, usually code proto.payload: the request broke one of MAX's rules."""


class AttachmentNotReady(MaxBadRequest):
    """400 attachment.not.ready: MAX is still processing an upload and refused the message."""

    @property
    def safe_to_retry(self) -> bool:
        return True


class MaxUnauthorized(MaxApiError):
    """401 verify.token: the bot token is wrong or was regenerated."""


class MaxForbidden(MaxApiError):
    """403: e.g. the user blocked (stopped) the bot, or the bot has no access to the chat."""


class MaxNotFound(MaxApiError):
    """404: the message, chat or callback does not exist or is not the bot's."""


class MaxRetryLater(MaxApiError):
    """MAX asks to come back later; `retry_after` is the wait in seconds the caller should apply."""

    def __init__(self, status: int, code: str, message: str, retry_after: float) -> None:
        super().__init__(status, code, message)
        self.retry_after = retry_after


class MaxRateLimited(MaxRetryLater):
    """429: over 30 requests/s per bot or 2 sends/s per chat. MAX refused; nothing happened."""

    @property
    def safe_to_retry(self) -> bool:
        return True


class MaxUnavailable(MaxRetryLater):
    """5xx. Only a 503 is a refusal; after a 500/502/504 the request may have taken effect."""

    @property
    def safe_to_retry(self) -> bool:
        return self.status == 503

    @property
    def outcome_unknown(self) -> bool:
        return self.status != 503


class MaxOperationFailed(MaxApiError):
    """HTTP 200 with `{"success": false, "message": ...}`, MAX's way to refuse some mutations."""


class MaxNetworkError(MaxError):
    """The transport failed. `may_have_reached_max` is False only if the request never left."""

    def __init__(self, description: str, *, may_have_reached_max: bool) -> None:
        super().__init__(description)
        self.may_have_reached_max = may_have_reached_max

    @property
    def safe_to_retry(self) -> bool:
        return not self.may_have_reached_max

    @property
    def outcome_unknown(self) -> bool:
        return self.may_have_reached_max


class MaxProtocolError(MaxError):
    """MAX (or something in between) answered with a body that is not what MAX sends."""


class MediaTooLarge(MaxError):
    """A download exceeded its byte limit; `size` is the declared size when one was declared."""

    def __init__(self, limit: int, size: int | None) -> None:
        shown = "unknown" if size is None else str(size)
        super().__init__(f"media larger than {limit} bytes (declared size: {shown})")
        self.limit = limit
        self.size = size


_BY_STATUS: dict[int, type[MaxApiError]] = {
    400: MaxBadRequest,
    401: MaxUnauthorized,
    403: MaxForbidden,
    404: MaxNotFound,
}


def error_from_response(
    status: int, body: bytes, headers: Mapping[str, str], *, now: datetime | None = None
) -> MaxApiError:
    code, message = _code_and_message(body)
    if status == 429:
        wait = retry_after_seconds(headers, DEFAULT_RATE_LIMIT_WAIT_S, now)
        return MaxRateLimited(status, code, message, wait)
    if status >= 500:
        wait = retry_after_seconds(headers, DEFAULT_UNAVAILABLE_WAIT_S, now)
        return MaxUnavailable(status, code, message, wait)
    if status == 400 and code == "attachment.not.ready":
        return AttachmentNotReady(status, code, message)
    return _BY_STATUS.get(status, MaxApiError)(status, code, message)


def _code_and_message(body: bytes) -> tuple[str, str]:
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "", body[:200].decode("utf-8", "replace")
    if not isinstance(parsed, dict):
        return "", str(parsed)[:200]
    return str(parsed.get("code") or parsed.get("error") or ""), str(parsed.get("message") or "")


def retry_after_seconds(
    headers: Mapping[str, str], default: float, now: datetime | None = None
) -> float:
    """Retry-After as seconds (delta or HTTP date); `default` when absent or unreadable."""
    value = headers.get("retry-after")
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        return _seconds_until_http_date(value, default, now)
    return seconds if math.isfinite(seconds) and seconds >= 0 else default


def _seconds_until_http_date(value: str, default: float, now: datetime | None) -> float:
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())
