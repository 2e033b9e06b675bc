from typing import Any, cast

from aiohttp import BodyPartReader, web

from sandbox.attachments import media_url
from sandbox.errors import not_found, proto_payload, read_json_object
from sandbox.events import bot_started, bot_stopped, message_created, user_message
from sandbox.render import user_json
from sandbox.signer import LaunchVariant, clean_start_param, launch_url, variant_init_data
from sandbox.state import SANDBOX_STATE, JsonDict, SandboxState, SandboxUser
from sandbox.updates import emit_update
from sandbox.uploads import add_media, guess_type, read_limited
from sandbox.validation import optional_str

VARIANTS = ("valid", "expired", "tampered", "future")


def path_user(request: web.Request) -> SandboxUser:
    state = request.app[SANDBOX_STATE]
    try:
        user = state.users.get(int(request.match_info["user_id"]))
    except ValueError:
        user = None
    if user is None:
        raise not_found(f"User {request.match_info['user_id']} not found")
    return user


async def create_user(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    body = await read_json_object(request) if request.can_read_body else {}
    user_id = body.get("user_id") or state.next_user_id()
    if not isinstance(user_id, int) or user_id in state.users:
        raise proto_payload(f"user_id {user_id} is invalid or taken")
    user = SandboxUser(
        user_id=user_id, chat_id=state.next_chat_id(),
        first_name=optional_str(body, "first_name") or f"User{user_id}",
        last_name=optional_str(body, "last_name"), username=optional_str(body, "username"),
        language_code=optional_str(body, "language_code") or "ru",
    )
    state.users[user_id] = user
    return web.json_response({"user": user_json(user), "chat_id": user.chat_id})


async def list_users(request: web.Request) -> web.Response:
    users = request.app[SANDBOX_STATE].users.values()
    return web.json_response({"users": [{"user": user_json(u), "chat_id": u.chat_id,
                                         "blocked": u.blocked} for u in users]})


async def read_user_post(request: web.Request, state: SandboxState) -> tuple[str | None,
                                                                            list[JsonDict]]:
    if not request.content_type.startswith("multipart/"):
        return optional_str(await read_json_object(request), "text"), []
    text: str | None = None
    photos: list[JsonDict] = []
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader):
            continue
        if part.name in ("text", "caption"):
            text = (await part.text()) or None
        elif part.name == "photo":
            data = await read_limited(part, state.config.media_max_bytes)
            filename = part.filename or "photo.jpg"
            item = add_media(state, "image", data, filename,
                             guess_type(filename, part.headers.get("Content-Type")))
            photos.append({"type": "image", "payload": {
                "photo_id": item.photo_id, "token": item.token, "url": media_url(state, item)}})
    return text, photos


async def post_user_message(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    user = path_user(request)
    text, photos = await read_user_post(request, state)
    if text is None and not photos:
        raise proto_payload("Send text, caption or at least one photo")
    message = user_message(state, user, text, photos or None)
    update = message_created(state, user, message)
    await emit_update(state, update)
    return web.json_response({"update": update, "mid": message.mid})


async def start_bot(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    user = path_user(request)
    body = await read_json_object(request) if request.can_read_body else {}
    payload = optional_str(body, "payload")
    if payload is not None and len(payload) > state.config.start_payload_max:
        payload = None  # MAX drops a too-long payload, never cuts it (docs/max-platform.md)
    user.blocked = False
    update = bot_started(user, payload)
    await emit_update(state, update)
    return web.json_response({"update": update})


async def block_bot(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    user = path_user(request)
    user.blocked = True
    update = bot_stopped(user)
    await emit_update(state, update)
    return web.json_response({"update": update})


async def unblock_bot(request: web.Request) -> web.Response:
    path_user(request).blocked = False
    return web.json_response({"success": True})


def launch_user(user: SandboxUser) -> dict[str, Any]:
    return {"id": user.user_id, "first_name": user.first_name, "last_name": user.last_name,
            "username": user.username, "language_code": user.language_code, "photo_url": None}


def build_launch(state: SandboxState, user: SandboxUser, start_param: str | None,
                 variant: str) -> JsonDict:
    if variant not in VARIANTS:
        raise proto_payload(f"variant must be one of {', '.join(VARIANTS)}")
    param = clean_start_param(start_param)
    chat = {"id": user.chat_id, "type": "DIALOG"}
    init_data = variant_init_data(state.config.token, launch_user(user), chat, param,
                                  cast(LaunchVariant, variant))
    return {"init_data": init_data, "url": launch_url(state.config.webapp_url, init_data, param),
            "start_param": param}


async def get_launch(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    user = path_user(request)
    start_param = request.query.get("start_param") or None
    variant = request.query.get("variant", "valid")
    return web.json_response(build_launch(state, user, start_param, variant))

