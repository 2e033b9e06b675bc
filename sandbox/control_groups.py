"""Control API for group chats: create one, add and remove members and the bot, post as a
member (text, photos, a reply, a mention) and press a button there; the updates MAX would send."""

from aiohttp import BodyPartReader, web

from sandbox.attachments import media_url
from sandbox.clock import now_ms
from sandbox.control_chat import find_button, perform_press
from sandbox.control_users import path_user
from sandbox.dialogs import linked_message, store_message
from sandbox.errors import not_found, proto_payload, read_json_object
from sandbox.events import base_update, message_created
from sandbox.groups import chat_json, group_message, member_json, path_group
from sandbox.render import user_json
from sandbox.state import SANDBOX_STATE, JsonDict, SandboxGroup, SandboxState, SandboxUser
from sandbox.updates import emit_update
from sandbox.uploads import add_media, guess_type, read_limited
from sandbox.validation import optional_str

TITLE_MAX = 200  # MAX's chat title limit (PATCH /chats/{chatId})
MEMBERS_MAX = 100


def group_update(
    update_type: str, group: SandboxGroup, user: SandboxUser, **extra: object
) -> JsonDict:
    return {
        **base_update(update_type, user, in_dialog=False),
        "chat_id": group.chat_id,
        "user": user_json(user),
        **extra,
        "is_channel": False,
    }


async def announce(state: SandboxState, group: SandboxGroup, update: JsonDict) -> JsonDict | None:
    """Only a group the bot is in tells it anything (MAX: the bot must be an admin there)."""
    group.last_event_ms = now_ms()
    if not group.has_bot:
        return None
    await emit_update(state, update)
    return update


def user_by_id(state: SandboxState, raw: object, field: str) -> SandboxUser:
    user = state.users.get(raw) if isinstance(raw, int) else None
    if user is None:
        raise proto_payload(f"Field '{field}' must name a sandbox user")
    return user


def group_json(state: SandboxState, group: SandboxGroup) -> JsonDict:
    members = [member_json(state, group, uid) for uid in group.members]
    return {"chat": chat_json(state, group), "has_bot": group.has_bot, "members": members}


async def create_group(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    body = await read_json_object(request)
    owner = user_by_id(state, body.get("owner_id"), "owner_id")
    title = (optional_str(body, "title") or "").strip()
    if not 1 <= len(title) <= TITLE_MAX:
        raise proto_payload(f"Field 'title' must be 1-{TITLE_MAX} characters")
    raw_members = body.get("member_ids") or []
    if not isinstance(raw_members, list) or len(raw_members) > MEMBERS_MAX:
        raise proto_payload(f"Field 'member_ids' must be a list of at most {MEMBERS_MAX} ids")
    members = [user_by_id(state, m, "member_ids") for m in raw_members]
    group = SandboxGroup(chat_id=state.next_group_id(), title=title, owner_id=owner.user_id)
    for user in (owner, *members):
        group.members.setdefault(user.user_id, now_ms())
    state.groups[group.chat_id] = group
    update = None
    if body.get("with_bot") is True:
        update = await join_bot(state, group, owner)
    return web.json_response({**group_json(state, group), "update": update})


async def list_groups(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    return web.json_response({"groups": [group_json(state, g) for g in state.groups.values()]})


async def get_group(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    return web.json_response(group_json(state, path_group(request, for_bot=False)))


async def add_member(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=False)
    body = await read_json_object(request)
    user = user_by_id(state, body.get("user_id"), "user_id")
    inviter = body.get("inviter_id")
    if inviter is not None:
        inviter = user_by_id(state, inviter, "inviter_id").user_id
        if inviter not in group.members:
            raise proto_payload("The inviter is not a member of this chat")
    if user.user_id in group.members:
        raise proto_payload(f"User {user.user_id} is already a member")
    group.members[user.user_id] = now_ms()
    update = group_update("user_added", group, user, inviter_id=inviter)
    return web.json_response({"update": await announce(state, group, update)})


async def remove_member(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=False)
    user = path_user(request)
    if user.user_id not in group.members:
        raise not_found(f"User {user.user_id} is not a member of chat {group.chat_id}")
    raw_admin = request.query.get("admin_id")
    admin_id = int(raw_admin) if raw_admin and raw_admin.lstrip("-").isdigit() else None
    del group.members[user.user_id]
    # v0.0.32 types admin_id as a non-null integer that "may be null": absent when one left
    extra = {} if admin_id is None else {"admin_id": admin_id}
    update = group_update("user_removed", group, user, **extra)
    return web.json_response({"update": await announce(state, group, update)})


async def join_bot(state: SandboxState, group: SandboxGroup, by: SandboxUser) -> JsonDict:
    group.bot_joined_ms = now_ms()
    update = group_update("bot_added", group, by)
    await announce(state, group, update)
    return update


async def add_bot(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=False)
    by = user_by_id(state, (await read_json_object(request)).get("user_id"), "user_id")
    if by.user_id not in group.members:
        raise proto_payload("Only a member can add the bot")
    if group.has_bot:
        raise proto_payload("The bot is already a member")
    return web.json_response({"update": await join_bot(state, group, by)})


async def remove_bot(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=False)
    by = user_by_id(state, (await read_json_object(request)).get("user_id"), "user_id")
    if not group.has_bot:
        raise proto_payload("The bot is not a member")
    update = group_update("bot_removed", group, by)
    await announce(state, group, update)  # told while still a member, then out
    group.bot_joined_ms = None
    return web.json_response({"update": update})


def member_of(state: SandboxState, group: SandboxGroup, raw: object) -> SandboxUser:
    user = user_by_id(state, raw, "user_id")
    if user.user_id not in group.members:
        raise proto_payload(f"User {user.user_id} is not a member of chat {group.chat_id}")
    return user


async def read_group_post(
    request: web.Request, state: SandboxState
) -> tuple[JsonDict, list[JsonDict]]:
    if not request.content_type.startswith("multipart/"):
        return await read_json_object(request), []
    fields: JsonDict = {}
    photos: list[JsonDict] = []
    async for part in await request.multipart():
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "photo":
            data = await read_limited(part, state.config.media_max_bytes)
            filename = part.filename or "photo.jpg"
            item = add_media(
                state,
                "image",
                data,
                filename,
                guess_type(filename, part.headers.get("Content-Type")),
            )
            photos.append(
                {
                    "type": "image",
                    "payload": {
                        "photo_id": item.photo_id,
                        "token": item.token,
                        "url": media_url(state, item),
                    },
                }
            )
        elif part.name in ("user_id", "text", "caption", "reply_to"):
            fields[part.name] = (await part.text()) or None
    if fields.get("user_id") is not None:
        fields["user_id"] = (
            int(str(fields["user_id"])) if str(fields["user_id"]).isdigit() else fields["user_id"]
        )
    fields["text"] = fields.get("text") or fields.get("caption")
    return fields, photos


async def post_group_message(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=False)
    body, photos = await read_group_post(request, state)
    user = member_of(state, group, body.get("user_id"))
    text = optional_str(body, "text")
    if text is None and not photos:
        raise proto_payload("Send text, caption or at least one photo")
    reply_to = optional_str(body, "reply_to")
    link = linked_message(state, {"type": "reply", "mid": reply_to}) if reply_to else None
    if link is not None and link["chat_id"] != group.chat_id:
        raise not_found(f"Message {reply_to} not found in this chat")
    user.last_activity_ms = now_ms()
    message = group_message(state, group, user.user_id, text, photos or None)
    message.link = link
    store_message(state, message)
    update = await announce(state, group, message_created(state, user, message))
    return web.json_response({"update": update, "mid": message.mid})


async def press_group_button(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=False)
    body = await read_json_object(request)
    user = member_of(state, group, body.get("user_id"))
    message = state.messages.get(str(body.get("mid")))
    if message is None or message.deleted or message.chat_id != group.chat_id:
        raise not_found(f"Message {body.get('mid')} not found in this chat")
    button = find_button(message, optional_str(body, "payload"), optional_str(body, "text"))
    if button["type"] == "callback" and not group.has_bot:
        raise proto_payload("The bot is no longer in this chat")
    if button["type"] == "message":  # its text is said in the group, by the presser
        said = group_message(state, group, user.user_id, str(button["text"]), None)
        store_message(state, said)
        update = await announce(state, group, message_created(state, user, said))
        return web.json_response({"update": update, "mid": said.mid})
    return web.json_response(await perform_press(state, user, message, button))
