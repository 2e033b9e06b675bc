"""How an HTTP answer becomes a typed error, and which errors may be retried safely."""

from datetime import UTC, datetime

import httpx
import pytest

from bot.errors import (
    AttachmentNotReady,
    MaxApiError,
    MaxBadRequest,
    MaxForbidden,
    MaxNetworkError,
    MaxNotFound,
    MaxRateLimited,
    MaxUnauthorized,
    MaxUnavailable,
    error_from_response,
    retry_after_seconds,
)

NOW = datetime(2026, 4, 1, 12, 0, 0, tzinfo=UTC)


def answer(status: int, body: bytes, headers: dict[str, str] | None = None) -> MaxApiError:
    return error_from_response(status, body, httpx.Headers(headers or {}), now=NOW)


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, MaxBadRequest), (401, MaxUnauthorized), (403, MaxForbidden), (404, MaxNotFound)],
)
def test_client_errors_map_by_status_and_are_not_retryable(
    status: int, kind: type[MaxApiError]
) -> None:
    error = answer(status, b'{"code":"some.code","message":"why"}')

    assert type(error) is kind
    assert (error.status, error.code, error.message) == (status, "some.code", "why")
    assert not error.safe_to_retry


def test_attachment_not_ready_is_its_own_retryable_bad_request() -> None:
    body = b'{"code":"attachment.not.ready","message":"Key: errors.process.attachment.file"}'

    error = answer(400, body)

    assert isinstance(error, AttachmentNotReady)
    assert isinstance(error, MaxBadRequest)
    assert error.safe_to_retry


def test_rate_limit_uses_retry_after_seconds() -> None:
    error = answer(429, b'{"code":"too.many.requests","message":"slow down"}', {"Retry-After": "3"})

    assert isinstance(error, MaxRateLimited)
    assert error.retry_after == 3.0
    assert error.safe_to_retry


def test_rate_limit_without_retry_after_waits_a_second() -> None:
    error = answer(429, b"{}")

    assert isinstance(error, MaxRateLimited)
    assert error.retry_after == 1.0


def test_retry_after_as_http_date_counts_from_now() -> None:
    error = answer(503, b"", {"Retry-After": "Wed, 01 Apr 2026 12:00:10 GMT"})

    assert isinstance(error, MaxUnavailable)
    assert error.retry_after == 10.0
    assert error.safe_to_retry


@pytest.mark.parametrize("status", [500, 502, 504])
def test_other_server_errors_may_have_acted_so_are_not_safe_to_retry(status: int) -> None:
    error = answer(status, b"<html>bad gateway</html>")

    assert isinstance(error, MaxUnavailable)
    assert error.retry_after == 5.0
    assert error.message == "<html>bad gateway</html>"
    assert not error.safe_to_retry


@pytest.mark.parametrize("value", ["soon", "-4", "nan", ""])
def test_unreadable_retry_after_falls_back_to_the_default(value: str) -> None:
    assert retry_after_seconds(httpx.Headers({"Retry-After": value}), 7.0, NOW) == 7.0


def test_network_error_is_retryable_only_if_the_request_never_left() -> None:
    assert MaxNetworkError("refused", may_have_reached_max=False).safe_to_retry
    assert not MaxNetworkError("read timeout", may_have_reached_max=True).safe_to_retry
