from aiohttp import web

from sandbox.clock import now_iso, now_ms
from sandbox.dialogs import (
    apply_edit,
    bot_message,
    build_bot_message,
    build_bot_message_in,
    ensure_reachable,
    known_chat,
    query_int,
    resolve_recipient,
)
from sandbox.errors import not_found, proto_payload, read_json_object, success
from sandbox.groups import ensure_bot_in, group_by_id
from sandbox.middleware import admit_chat_action
from sandbox.render import message_json
from sandbox.state import SANDBOX_STATE, ChatEvent, StoredMessage
from sandbox.updates import bounded
from sandbox.validation import optional_str

SENDER_ACTIONS = {"typing_on", "sending_photo", "sending_video", "sending_audio",
                  "sending_file", "mark_seen"}


def required_query(request: web.Request, name: str) -> str:
    value = request.query.get(name, "").strip()
    if not value:
        raise proto_payload(f"Missing required parameter: {name}")
    return value


async def send_message(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = group_by_id(state, query_int(request.query, "chat_id"))
    if group is not None and query_int(request.query, "user_id") is None:
        ensure_bot_in(state, group.chat_id)
        admit_chat_action(state, group.chat_id)
        message = build_bot_message_in(state, group.chat_id, 0, await read_json_object(request))
        return web.json_response({"message": message_json(state, message)})
    user = resolve_recipient(state, request.query)
    admit_chat_action(state, user.chat_id)
    body = await read_json_object(request)
    ensure_reachable(user)
    message = build_bot_message(state, user, body)
    return web.json_response({"message": message_json(state, message)})


async def edit_message(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    message = bot_message(state, required_query(request, "message_id"))
    ensure_bot_in(state, message.chat_id)
    admit_chat_action(state, message.chat_id)
    apply_edit(state, message, await read_json_object(request))
    return success()


async def delete_message(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    message = bot_message(state, required_query(request, "message_id"))
    ensure_bot_in(state, message.chat_id)
    message.deleted = True
    return success()


def visible(messages: list[StoredMessage]) -> list[StoredMessage]:
    return [m for m in messages if not m.deleted]


async def list_messages(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    count = bounded("count", query_int(request.query, "count") or 50, 1, 100)
    chat_id = query_int(request.query, "chat_id")
    raw_ids = request.query.get("message_ids")
    if chat_id is not None:
        known_chat(state, chat_id)
        found = [m for m in state.messages.values() if m.chat_id == chat_id]
    elif raw_ids:
        wanted = raw_ids.split(",")
        found = [state.messages[mid] for mid in wanted if mid in state.messages]
    else:
        raise proto_payload("Either 'chat_id' or 'message_ids' is required")
    newest_first = sorted(visible(found), key=lambda m: m.seq, reverse=True)[:count]
    return web.json_response({"messages": [message_json(state, m) for m in newest_first]})


async def get_message(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    mid = request.match_info["mid"]
    message = state.messages.get(mid)
    if message is None or message.deleted:
        raise not_found(f"Message {mid} not found")
    return web.json_response(message_json(state, message))


async def answer_callback(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    callback_id = required_query(request, "callback_id")
    callback = state.callbacks.get(callback_id)
    if callback is None:
        raise not_found(f"Callback {callback_id} not found")
    ensure_bot_in(state, callback.chat_id)
    admit_chat_action(state, callback.chat_id)
    body = await read_json_object(request)
    new_body, notification = body.get("message"), optional_str(body, "notification")
    if new_body is None and notification is None:
        raise proto_payload("Invalid request. `message` or `notification` required")
    if new_body is not None:
        if not isinstance(new_body, dict):
            raise proto_payload("Field 'message' must be an object")
        apply_edit(state, bot_message(state, callback.mid), new_body)
    if notification is not None:
        state.log_chat_event(callback.chat_id, ChatEvent(kind="notification",
                                                         timestamp=now_ms(), text=notification))
    callback.answers += 1
    return success()


async def chat_action(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    try:
        chat_id = int(request.match_info["chat_id"])
    except ValueError as exc:
        raise not_found(f"Chat {request.match_info['chat_id']} not found") from exc
    known_chat(state, chat_id)
    action = optional_str(await read_json_object(request), "action")
    if action not in SENDER_ACTIONS:
        raise proto_payload(f"Field 'action' has invalid value: {action}")
    state.chat_actions.append({"chat_id": chat_id, "action": action, "time": now_iso()})
    return success()
