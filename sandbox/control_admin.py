from dataclasses import asdict
from pathlib import Path

from aiohttp import web

from sandbox.clock import now_ms
from sandbox.errors import proto_payload, read_json_object
from sandbox.state import SANDBOX_STATE, FaultEffect, HttpFault, JsonDict, SandboxState
from sandbox.validation import optional_str

STATIC_DIR = Path(__file__).parent / "static"
FAULT_KINDS = ("http", "hang", "answer_late", "attachment_not_ready", "webhook_duplicates")
HTTP_FAULT_EFFECTS: dict[str, FaultEffect] = {"http": "refuse", "hang": "hang",
                                              "answer_late": "answer_late"}
# longer than a client's usual 30 s read timeout (and MAX's own for webhooks)
DEFAULT_HOLD_S = 35.0


def fault_count(body: JsonDict) -> int:
    count = body.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise proto_payload("count must be a non-negative integer")
    return count


def seconds(body: JsonDict, name: str, default: float | None = None) -> float | None:
    value = body.get(name, default)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 3600:
        raise proto_payload(f"{name} must be a number of seconds from 0 to 3600")
    return float(value)


def retry_after(body: JsonDict) -> int | None:
    value = body.get("retry_after_s")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                              or not 0 <= value <= 3600):
        raise proto_payload("retry_after_s must be whole seconds from 0 to 3600")
    return value


def refusal_status(body: JsonDict, effect: FaultEffect) -> int:
    status = body.get("status", 503)
    if effect != "refuse":
        return 200 if effect == "answer_late" else 503
    if status not in (429, 503):
        raise proto_payload("status must be 429 or 503")
    return int(status)


def http_fault(body: JsonDict, effect: FaultEffect) -> HttpFault:
    """A fault spoiling `count` requests, or every one for `duration_s` from `starts_in_s`."""
    duration = seconds(body, "duration_s")
    starts = now_ms() + round(1000 * (seconds(body, "starts_in_s", 0.0) or 0.0))
    timed = duration is not None
    return HttpFault(
        status=refusal_status(body, effect),
        remaining=fault_count(body) if "count" in body or not timed else None,
        method=optional_str(body, "method"),
        path=optional_str(body, "path"),
        effect=effect,
        delay_s=0.0 if effect == "refuse" else seconds(body, "delay_s", DEFAULT_HOLD_S) or 0.0,
        retry_after_s=retry_after(body),
        starts_ms=starts,
        ends_ms=starts + round(1000 * duration) if duration is not None else None,
    )


def add_fault(state: SandboxState, body: JsonDict) -> None:
    kind = body.get("kind")
    if kind in HTTP_FAULT_EFFECTS:
        state.faults.http.append(http_fault(body, HTTP_FAULT_EFFECTS[str(kind)]))
    elif kind == "attachment_not_ready":
        state.faults.not_ready_sends = fault_count(body)
    elif kind == "webhook_duplicates":
        state.faults.webhook_duplicates = fault_count(body)
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
