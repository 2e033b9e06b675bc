from typing import Any

from aiohttp import web


class ApiError(Exception):
    """A MAX-style error answer: HTTP status plus `{"code", "message"}` body."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> web.Response:
        return error_response(self.status, self.code, self.message)


def error_response(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message}, status=status)


def proto_payload(message: str) -> ApiError:
    return ApiError(400, "proto.payload", message)


def invalid_token() -> ApiError:
    return ApiError(401, "verify.token", "Invalid access_token")


def not_found(message: str) -> ApiError:
    return ApiError(404, "not.found", message)


def chat_denied(message: str) -> ApiError:
    return ApiError(403, "chat.denied", message)


def too_many_requests(message: str) -> ApiError:
    # The 429 body code is not documented (docs/max-platform.md, Errors); other fakes use this one.
    return ApiError(429, "too.many.requests", message)


def service_unavailable() -> ApiError:
    return ApiError(503, "service.unavailable", "Service temporarily unavailable")


def attachment_not_ready() -> ApiError:
    return ApiError(
        400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed"
    )


def success() -> web.Response:
    return web.json_response({"success": True})


def failure(message: str) -> web.Response:
    return web.json_response({"success": False, "message": message})


async def read_json_object(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise proto_payload("Invalid JSON body") from exc
    if not isinstance(body, dict):
        raise proto_payload("Request body must be a JSON object")
    return body
