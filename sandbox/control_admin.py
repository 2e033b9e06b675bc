from dataclasses import asdict
from pathlib import Path

from aiohttp import web

from sandbox.errors import proto_payload, read_json_object
from sandbox.state import SANDBOX_STATE, HttpFault, JsonDict, SandboxState
from sandbox.validation import optional_str

STATIC_DIR = Path(__file__).parent / "static"
FAULT_KINDS = ("http", "attachment_not_ready", "webhook_duplicates")


def fault_count(body: JsonDict) -> int:
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise proto_payload("count must be a non-negative integer")
    return count


def add_fault(state: SandboxState, body: JsonDict) -> None:
    kind, count = body.get("kind"), fault_count(body)
    if kind == "http":
        status = body.get("status", 503)
        if status not in (429, 503):
            raise proto_payload("status must be 429 or 503")
        state.faults.http.append(HttpFault(status=status, remaining=count,
                                           method=optional_str(body, "method"),
                                           path=optional_str(body, "path")))
    elif kind == "attachment_not_ready":
        state.faults.not_ready_sends = count
    elif kind == "webhook_duplicates":
        state.faults.webhook_duplicates = count
    else:
        raise proto_payload(f"kind must be one of {', '.join(FAULT_KINDS)}")


async def post_fault(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    add_fault(state, await read_json_object(request))
    return web.json_response({"faults": asdict(state.faults)})


async def get_faults(request: web.Request) -> web.Response:
    return web.json_response({"faults": asdict(request.app[SANDBOX_STATE].faults)})


async def get_deliveries(request: web.Request) -> web.Response:
    return web.json_response({"deliveries": request.app[SANDBOX_STATE].deliveries})


async def get_requests(request: web.Request) -> web.Response:
    return web.json_response({"requests": request.app[SANDBOX_STATE].request_log})


async def get_stats(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    sub = state.subscription
    return web.json_response({
        "limit_violations": state.limit_violations,
        "requests": len(state.request_log),
        "pending_updates": len(state.updates.pending),
        "webhook_backlog": state.webhook_queue.qsize(),
        "subscription": None if sub is None else {"url": sub.url, "time": sub.time_ms},
        "chat_actions": state.chat_actions,
        "commands": state.commands,
        "users": len(state.users),
        "messages": len(state.messages),
    })


async def post_reset(request: web.Request) -> web.Response:
    request.app[SANDBOX_STATE].reset()
    return web.json_response({"success": True})


async def index_page(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")
