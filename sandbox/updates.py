import asyncio
import contextlib

from aiohttp import web

from sandbox.errors import ApiError, proto_payload
from sandbox.state import SANDBOX_STATE, JsonDict, SandboxState, UpdateQueue

LIMIT_DEFAULT, LIMIT_MAX = 100, 1000
TIMEOUT_DEFAULT = 30


async def emit_update(state: SandboxState, update: JsonDict) -> None:
    """Route a platform event: to the webhook when subscribed, otherwise to the polling queue."""
    subscription = state.subscription
    if subscription is None:
        await state.updates.push(update)
        return
    wanted = subscription.update_types
    if wanted and update["update_type"] not in wanted:
        return
    state.webhook_queue.put_nowait(update)


def int_param(request: web.Request, name: str, default: int | None) -> int | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise proto_payload(f"Field '{name}' must be an integer") from exc


def bounded(name: str, value: int, low: int, high: int) -> int:
    if value < low:
        raise proto_payload(f"Field '{name}' value ({value}) must be at least {low}")
    if value > high:
        raise proto_payload(f"Field '{name}' value ({value}) must be at most {high}")
    return value


def select(queue: UpdateQueue, types: set[str] | None, limit: int) -> list[tuple[int, JsonDict]]:
    matching = [(uid, u) for uid, u in queue.pending if not types or u["update_type"] in types]
    return matching[:limit]


async def wait_for_updates(
    queue: UpdateQueue, types: set[str] | None, limit: int, wait_s: float
) -> list[tuple[int, JsonDict]]:
    """Long polling: answer at once if anything is queued, else when something arrives."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(wait_s), queue.changed:
            while not select(queue, types, limit):
                await queue.changed.wait()
    return select(queue, types, limit)


async def get_updates(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    if state.subscription is not None:
        # MAX documents that polling "does not work" with a webhook but not the answer; the
        # sandbox refuses loudly with a 400 so a misconfigured bot notices at once.
        raise ApiError(400, "webhook.subscribed",
                       "Long polling is unavailable while a webhook subscription is active")
    limit = bounded("limit", int_param(request, "limit", LIMIT_DEFAULT) or 0, 1, LIMIT_MAX)
    max_timeout = state.config.long_poll_max_s
    timeout = bounded("timeout", int_param(request, "timeout", TIMEOUT_DEFAULT) or 0,
                      0, max_timeout)
    marker = int_param(request, "marker", None)
    raw_types = request.query.get("types", "")
    types = {t for t in raw_types.split(",") if t} or None
    if marker is not None:
        state.updates.commit_before(marker)
    batch = await wait_for_updates(state.updates, types, limit, timeout)
    next_marker = batch[-1][0] + 1 if batch else (marker or state.updates.next_id)
    return web.json_response({"updates": [u for _, u in batch], "marker": next_marker})
