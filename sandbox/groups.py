"""Group chats (type "chat") as MAX's Bot API shows them to a bot: GET /chats, /chats/{id},
/chats/{id}/members, messages sent there, and who may be mentioned in them."""

import re

from aiohttp import web

from sandbox.clock import new_mid, now_ms
from sandbox.errors import chat_denied, not_found, proto_payload
from sandbox.render import bot_user_json, user_json
from sandbox.state import SANDBOX_STATE, JsonDict, SandboxGroup, SandboxState, StoredMessage

_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,64})(?!\w)")


def group_by_id(state: SandboxState, chat_id: int | None) -> SandboxGroup | None:
    return None if chat_id is None else state.groups.get(chat_id)


def ensure_bot_in(state: SandboxState, chat_id: int) -> None:
    """403 for a group the bot is not (or no longer) in, as MAX answers a bot without access."""
    group = state.groups.get(chat_id)
    if group is not None and not group.has_bot:
        raise chat_denied(f"Bot is not a member of chat {chat_id}")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def mention_markup(state: SandboxState, group: SandboxGroup, text: str | None) -> list[JsonDict]:
    """`@username` of the bot or of a member becomes a user_mention element, as MAX's clients
    send a mention picked from the list (offsets in UTF-16 code units)."""
    if not text:
        return []
    known = {state.config.bot_username.lower(): state.config.bot_user_id}
    for user_id in group.members:
        user = state.users.get(user_id)
        if user is not None and user.username:
            known[user.username.lower()] = user_id
    elements = []
    for match in _MENTION.finditer(text):
        mentioned = known.get(match.group(1).lower())
        if mentioned is not None:
            elements.append(
                {
                    "type": "user_mention",
                    "from": utf16_len(text[: match.start()]),
                    "length": utf16_len(match.group(0)),
                    "user_id": mentioned,
                }
            )
    return elements


def group_message(
    state: SandboxState,
    group: SandboxGroup,
    sender_id: int,
    text: str | None,
    attachments: list[JsonDict] | None,
) -> StoredMessage:
    group.last_event_ms = now_ms()
    markup = mention_markup(state, group, text) if sender_id != state.config.bot_user_id else None
    return StoredMessage(
        mid=new_mid(),
        seq=state.next_seq(),
        chat_id=group.chat_id,
        sender_id=sender_id,
        recipient_user_id=0,
        timestamp=now_ms(),
        text=text,
        attachments=attachments,
        markup=markup or None,
    )


def chat_json(state: SandboxState, group: SandboxGroup) -> JsonDict:
    participants = dict(group.members)
    if group.bot_joined_ms is not None:
        participants[state.config.bot_user_id] = group.bot_joined_ms
    return {
        "chat_id": group.chat_id,
        "type": "chat",
        "status": "active" if group.has_bot else "removed",
        "title": group.title,
        "icon": None,
        "last_event_time": group.last_event_ms,
        "participants_count": len(participants),
        "owner_id": group.owner_id,
        "participants": {str(k): v for k, v in participants.items()},
        "is_public": False,
        "link": None,
        "description": None,
        "messages_count": None,
    }


def member_json(state: SandboxState, group: SandboxGroup, user_id: int) -> JsonDict:
    if user_id == state.config.bot_user_id:
        person, joined = bot_user_json(state), group.bot_joined_ms or 0
    else:
        person, joined = user_json(state.users[user_id]), group.members[user_id]
    return {
        **person,  # no avatar or description: absent, as MAX leaves them when unset
        "last_access_time": person.get("last_activity_time") or joined,
        "is_owner": user_id == group.owner_id,
        # the bot sees a group's messages only as an admin (docs/max-platform.md)
        "is_admin": user_id in (group.owner_id, state.config.bot_user_id),
        "join_time": joined,
        "permissions": None,
    }


def path_group(request: web.Request, *, for_bot: bool) -> SandboxGroup:
    state = request.app[SANDBOX_STATE]
    try:
        group = state.groups.get(int(request.match_info["chat_id"]))
    except ValueError as exc:
        raise proto_payload("chat_id must be an integer") from exc
    if group is None:
        raise not_found(f"Chat {request.match_info['chat_id']} not found")
    if for_bot:
        ensure_bot_in(state, group.chat_id)
    return group


async def list_chats(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    chats = [chat_json(state, g) for g in state.groups.values() if g.has_bot]
    return web.json_response({"chats": chats, "marker": None})


async def get_chat(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    return web.json_response(chat_json(state, path_group(request, for_bot=True)))


async def list_members(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    group = path_group(request, for_bot=True)
    wanted = request.query.get("user_ids")
    ids = [state.config.bot_user_id, *group.members]
    if wanted:
        try:
            asked = {int(part) for part in wanted.split(",")}
        except ValueError as exc:
            raise proto_payload("Field 'user_ids' must be a list of integers") from exc
        ids = [i for i in ids if i in asked]
    members = [member_json(state, group, i) for i in ids]
    return web.json_response({"members": members, "marker": None})
