import asyncio
import hmac
import time

from aiohttp import web
from aiohttp.typedefs import Handler

from sandbox.clock import now_iso, now_ms
from sandbox.errors import (
    ApiError,
    error_response,
    invalid_token,
    service_unavailable,
    too_many_requests,
)
from sandbox.state import SANDBOX_STATE, HttpFault, SandboxState

SANDBOX_PREFIXES = ("/_sandbox", "/_upload/", "/_media/")
# the effect of the injected fault a request met, for the request log
MET_FAULT = web.RequestKey("sandbox_met_fault", str)


def is_bot_api(path: str) -> bool:
    return not path.startswith(SANDBOX_PREFIXES)


@web.middleware
async def request_log_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    state = request.app[SANDBOX_STATE]
    started, arrived = time.monotonic(), now_iso()
    response = await handler(request)
    if not request.path.startswith("/_sandbox"):
        state.request_log.append({
            "method": request.method,
            "path": request.path,
            "query": request.query_string,
            "status": response.status,
            "arrived": arrived,
            "time": now_iso(),
            "duration_ms": round((time.monotonic() - started) * 1000, 2),
            "fault": request.get(MET_FAULT),
        })
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return exc.response()
    except web.HTTPNotFound:
        return error_response(404, "not.found", f"Path {request.path} not found")
    except web.HTTPMethodNotAllowed:
        # The body code for 405 is not documented; mirror the other dotted keys.
        return error_response(405, "method.not.allowed", f"Method {request.method} not allowed")


@web.middleware
async def bot_api_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not is_bot_api(request.path):
        return await handler(request)
    state = request.app[SANDBOX_STATE]
    check_token(request, state)
    fault = take_http_fault(request, state)
    if fault is not None and fault.effect != "answer_late":
        return await refusal(fault)
    if not state.bot_window.admit(state.config.rate_per_bot):
        state.limit_violations.append({"kind": "bot", "key": state.config.bot_user_id,
                                       "path": request.path, "time": now_iso()})
        raise too_many_requests("Too many requests: bot limit exceeded")
    response = await handler(request)
    if fault is not None:  # done, but answered after the client has given up waiting
        await asyncio.sleep(fault.delay_s)
    return response


def check_token(request: web.Request, state: SandboxState) -> None:
    # docs/max-platform.md, Base URL and authentication: the bare token in Authorization;
    # Bearer or ?access_token= are refused.
    supplied = request.headers.get("Authorization", "")
    if not hmac.compare_digest(supplied.encode(), state.config.token.encode()):
        raise invalid_token()


def take_http_fault(request: web.Request, state: SandboxState) -> HttpFault | None:
    """The first open fault matching the request, with one of its uses spent."""
    now = now_ms()
    state.faults.http = [f for f in state.faults.http if not f.is_over(now)]
    fault = next((f for f in state.faults.http
                  if f.is_open(now) and fault_matches(f, request)), None)
    if fault is None:
        return None
    if fault.remaining is not None:
        fault.remaining -= 1
    if fault.is_over(now):
        state.faults.http.remove(fault)
    request[MET_FAULT] = fault.effect
    return fault


async def refusal(fault: HttpFault) -> web.Response:
    if fault.effect == "hang":
        await asyncio.sleep(fault.delay_s)
    error = too_many_requests("Too many requests (injected)") if fault.status == 429 \
        else service_unavailable()
    response = error.response()
    # MAX documents no Retry-After (docs/max-platform.md, Errors): sent only when asked for
    if fault.retry_after_s is not None:
        response.headers["Retry-After"] = str(fault.retry_after_s)
    return response


def fault_matches(fault: HttpFault, request: web.Request) -> bool:
    method_ok = fault.method is None or fault.method.upper() == request.method
    path_ok = fault.path is None or fault.path == request.path
    return method_ok and path_ok


def admit_chat_action(state: SandboxState, chat_id: int) -> None:
    if not state.chat_window(chat_id).admit(state.config.rate_per_chat):
        state.limit_violations.append({"kind": "chat", "key": chat_id, "time": now_iso()})
        raise too_many_requests(f"Too many requests: chat {chat_id} limit exceeded")
