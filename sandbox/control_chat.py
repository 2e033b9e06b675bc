import hashlib
import hmac

from aiohttp import web

from sandbox.clock import new_opaque_id
from sandbox.control_users import build_launch, path_user
from sandbox.dialogs import known_chat
from sandbox.errors import not_found, proto_payload, read_json_object
from sandbox.events import message_callback, message_created, user_message
from sandbox.render import user_json
from sandbox.state import (
    SANDBOX_STATE,
    CallbackRecord,
    ChatEvent,
    JsonDict,
    SandboxState,
    SandboxUser,
    StoredMessage,
)
from sandbox.updates import emit_update
from sandbox.validation import optional_str

DEFAULT_LOCATION = (55.7539, 37.6208)


def keyboard_attachment(message: StoredMessage) -> JsonDict | None:
    return next((a for a in message.attachments or [] if a.get("type") == "inline_keyboard"),
                None)


def keyboard_of(message: StoredMessage) -> list[list[JsonDict]] | None:
    keyboard = keyboard_attachment(message)
    if keyboard is None:
        return None
    buttons: list[list[JsonDict]] = keyboard["payload"]["buttons"]
    return buttons


def find_button(message: StoredMessage, payload: str | None, text: str | None) -> JsonDict:
    for row in keyboard_of(message) or []:
        for button in row:
            if payload is not None and button.get("payload") == payload:
                return button
            if payload is None and text is not None and button.get("text") == text:
                return button
    raise not_found("No such button on that message")


def contact_attachment(state: SandboxState, user: SandboxUser) -> JsonDict:
    vcf = f"BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=cell:7999{user.user_id % 10**7:07d}\r\n" \
          f"FN:{user.first_name}\r\nEND:VCARD\r\n"
    # MAX's docs leave this hash's key/message order unclear; key = bot token reads naturally.
    digest = hmac.new(state.config.token.encode(), vcf.encode(), hashlib.sha256).hexdigest()
    return {"type": "contact", "payload": {"vcf_info": vcf, "max_info": user_json(user),
                                           "hash": digest}}


async def send_as_user(state: SandboxState, user: SandboxUser, text: str | None,
                       attachments: list[JsonDict] | None) -> JsonDict:
    message = user_message(state, user, text, attachments)
    update = message_created(state, user, message)
    await emit_update(state, update)
    return {"update": update, "mid": message.mid}


async def press_callback(state: SandboxState, user: SandboxUser, message: StoredMessage,
                         payload: str) -> JsonDict:
    # The callback_id names the keyboard: it equals the keyboard's sibling `callback_id`
    # (docs/max-platform.md, Updates we handle).
    keyboard = keyboard_attachment(message) or {}
    record = CallbackRecord(callback_id=str(keyboard.get("callback_id") or new_opaque_id()),
                            mid=message.mid,
                            chat_id=message.chat_id, user_id=user.user_id, payload=payload)
    state.callbacks[record.callback_id] = record
    update = message_callback(state, user, message, record.callback_id, payload)
    await emit_update(state, update)
    return {"update": update, "callback_id": record.callback_id}


async def press_button(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    user = path_user(request)
    body = await read_json_object(request)
    message = state.messages.get(str(body.get("mid")))
    if message is None or message.deleted or message.chat_id != user.chat_id:
        raise not_found(f"Message {body.get('mid')} not found in this dialog")
    button = find_button(message, optional_str(body, "payload"), optional_str(body, "text"))
    return web.json_response(await perform_press(state, user, message, button))


async def perform_press(state: SandboxState, user: SandboxUser, message: StoredMessage,
                        button: JsonDict) -> JsonDict:
    kind = button["type"]
    if kind == "callback":
        return await press_callback(state, user, message, str(button["payload"]))
    if kind == "message":
        return await send_as_user(state, user, str(button["text"]), None)
    if kind == "request_contact":
        return await send_as_user(state, user, None, [contact_attachment(state, user)])
    if kind == "request_geo_location":
        lat, lon = DEFAULT_LOCATION
        location = {"type": "location", "latitude": lat, "longitude": lon}
        return await send_as_user(state, user, None, [location])
    if kind == "open_app":
        return build_launch(state, user, button.get("payload"), "valid")
    if kind == "link":
        return {"url": button["url"]}
    return {"copied": button.get("payload")}


def sender_name(state: SandboxState, sender_id: int) -> str:
    user = state.users.get(sender_id)
    return state.config.bot_first_name if user is None else user.first_name


def event_json(state: SandboxState, event: ChatEvent) -> JsonDict:
    if event.kind == "notification" or event.mid is None:
        return {"kind": event.kind, "timestamp": event.timestamp, "text": event.text}
    message = state.messages[event.mid]
    return {
        "kind": "message",
        "from": "bot" if message.sender_id == state.config.bot_user_id else "user",
        "sender_id": message.sender_id, "sender_name": sender_name(state, message.sender_id),
        "mid": message.mid, "seq": message.seq, "timestamp": message.timestamp,
        "text": message.text, "markup": message.markup, "format": message.text_format,
        "attachments": message.attachments, "keyboard": keyboard_of(message),
        "link": message.link, "deleted": message.deleted, "edited_at": message.edited_ms,
    }


def chat_log_json(state: SandboxState, chat_id: int) -> JsonDict:
    events = state.chat_log.get(chat_id, [])
    return {"chat_id": chat_id, "events": [event_json(state, e) for e in events]}


async def chat_messages(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    try:
        chat_id = int(request.match_info["chat_id"])
    except ValueError as exc:
        raise proto_payload("chat_id must be an integer") from exc
    if chat_id not in state.groups:  # a group's log stays readable after the bot left it
        known_chat(state, chat_id)
    return web.json_response(chat_log_json(state, chat_id))


async def user_chat_messages(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    return web.json_response(chat_log_json(state, path_user(request).chat_id))
