"""The /api error middleware: every refusal and failure answered as `{"error", "detail"}` JSON."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from aiohttp import web

from config.log_context import REQUEST_ID, Handler
from config.settings import ServerSettings
from gallery.limits import RateLimited
from storage.db import CONNECTION_ERRORS
from storage.errors import DomainError
from storage.media import MediaUnavailable
from webapp.services import WEB

log = logging.getLogger("webapp.errors")
DEFAULT_BUDGET_S: float = ServerSettings.model_fields["request_budget_s"].default

# The database gone (restarting, failing over) is not a bug: the same request works again in
# a moment, so 503 (storage/db.py CONNECTION_ERRORS says what "gone" raises).
DATABASE_GONE = CONNECTION_ERRORS


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class BodyInvalid(DomainError):
    """A body or query that is well-formed but does not fit its model; `errors` says where."""

    code = "invalid"
    status = 400

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("the request does not match its schema")
        self.errors = errors


class MalformedBody(DomainError):
    code = "malformed_json"
    status = 400


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


class BodyTooLarge(DomainError):
    code = "too_large"
    status = 413


def error_response(status: int, code: str, detail: Any, **headers: str) -> web.Response:
    return web.json_response({"error": code, "detail": detail}, status=status, headers=headers)


def _http_error_code(exc: web.HTTPException) -> str:
    return re.sub(r"[^a-z0-9]+", "_", exc.reason.lower()).strip("_") or "error"


def _from_http_exception(exc: web.HTTPException) -> web.Response:
    headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else {}
    return error_response(exc.status, _http_error_code(exc), exc.reason, **headers)


@web.middleware
async def api_error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Domain refusals keep their code and status; router 404/405 become JSON; the database or
    the media store gone is a 503; the rest is a logged 500 that shows the client no traceback."""
    budget = asyncio.timeout(request_budget_s(request))
    try:
        async with budget:
            return await handler(request)
    except TimeoutError as exc:
        cause = "ran over the request budget" if budget.expired() else f"timed out: {exc!r}"
        log.warning("%s %s %s", request.method, request.path, cause)
        return _briefly_unavailable()
    except BodyInvalid as exc:
        return error_response(exc.status, exc.code, exc.errors)
    except RateLimited as exc:
        retry = {"Retry-After": str(exc.retry_after_s)}
        return error_response(exc.status, exc.code, exc.detail, **retry)
    except DomainError as exc:
        return error_response(exc.status, exc.code, exc.detail)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _from_http_exception(exc)
    except MediaUnavailable as exc:
        log.warning("media store unavailable on %s %s: %s", request.method, request.path, exc)
        detail = "photos cannot be stored or read right now; try again in a minute"
        return error_response(503, "media_unavailable", detail)
    except DATABASE_GONE as exc:
        log.warning("database unavailable on %s %s: %r", request.method, request.path, exc)
        return _briefly_unavailable()
    except Exception:
        request_id = request.get(REQUEST_ID, "-")
        log.exception(
            "unhandled error on %s %s (request %s)", request.method, request.path, request_id
        )
        return error_response(500, "internal", f"something went wrong on our side ({request_id})")


def request_budget_s(request: web.Request) -> float | None:
    """server.request_budget_s; the default where the API runs without the app's services.
    None for an upload: its body streams in at the sender's pace (a large photo on a slow
    phone network takes minutes), and its statements are bounded by the database's limit."""
    if request.content_type.startswith("multipart/"):
        return None
    found = request.config_dict.get(WEB)
    return DEFAULT_BUDGET_S if found is None else found.settings.server.request_budget_s


def _briefly_unavailable() -> web.Response:
    """The database gone or a request over its budget: the same request works in a moment."""
    return error_response(503, "unavailable", "briefly unavailable; try again in a moment")
