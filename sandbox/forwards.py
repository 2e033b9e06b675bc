"""People forwarding messages to each other, as MAX clients do: a message someone can see (the
bot's card in their dialog, say) goes to another person's dialog with them as a new message with
no text of its own and `link: {type: "forward", sender, chat_id, message}` (docs/max-platform.md,
Message). The bot is no party to a dialog between two people, so no update is emitted."""

from aiohttp import web

from sandbox.clock import new_int64_id, new_mid, now_ms
from sandbox.control_chat import chat_log_json
from sandbox.control_users import path_user
from sandbox.dialogs import linked_message, store_message
from sandbox.errors import not_found, proto_payload, read_json_object
from sandbox.render import user_json
from sandbox.state import SANDBOX_STATE, JsonDict, SandboxState, SandboxUser, StoredMessage

# the chat id of each dialog between two people, by the pair (kept across resets: harmless)
PERSON_DIALOGS: web.AppKey[dict[frozenset[int], int]] = web.AppKey("person_dialogs", dict)


def person_dialogs(app: web.Application) -> dict[frozenset[int], int]:
    return app[PERSON_DIALOGS]


def can_see(
    state: SandboxState,
    dialogs: dict[frozenset[int], int],
    user: SandboxUser,
    message: StoredMessage,
) -> bool:
    if message.deleted:
        return False
    if message.chat_id == user.chat_id:
        return True
    group = state.groups.get(message.chat_id)
    if group is not None:
        return user.user_id in group.members
    return any(message.chat_id == chat and user.user_id in pair for pair, chat in dialogs.items())


async def forward_message(request: web.Request) -> web.Response:
    """POST /_sandbox/users/{id}/forward {"mid", "to_user_id"}: the message, forwarded."""
    state, sender = request.app[SANDBOX_STATE], path_user(request)
    body = await read_json_object(request)
    to_user_id = body.get("to_user_id")
    receiver = state.users.get(to_user_id) if isinstance(to_user_id, int) else None
    if receiver is None or receiver.user_id == sender.user_id:
        raise proto_payload("to_user_id must name another user")
    dialogs = person_dialogs(request.app)
    original = state.messages.get(str(body.get("mid")))
    if original is None or not can_see(state, dialogs, sender, original):
        raise not_found(f"Message {body.get('mid')} not found")
    chat_id = dialogs.setdefault(frozenset((sender.user_id, receiver.user_id)), new_int64_id())
    message = StoredMessage(
        mid=new_mid(),
        seq=state.next_seq(),
        chat_id=chat_id,
        sender_id=sender.user_id,
        recipient_user_id=receiver.user_id,
        timestamp=now_ms(),
        text=None,
        attachments=None,
        link=linked_message(state, {"type": "forward", "mid": original.mid}),
    )
    store_message(state, message)
    return web.json_response({"mid": message.mid, "chat_id": chat_id})


async def list_dialogs(request: web.Request) -> web.Response:
    """GET /_sandbox/users/{id}/dialogs: this person's dialogs with other people."""
    state, user = request.app[SANDBOX_STATE], path_user(request)
    found: list[JsonDict] = []
    for pair, chat_id in person_dialogs(request.app).items():
        if user.user_id not in pair:
            continue
        others = [state.users[i] for i in pair if i != user.user_id and i in state.users]
        for other in others:
            found.append({"with": user_json(other), **chat_log_json(state, chat_id)})
    return web.json_response({"dialogs": found})


def add_forward_routes(app: web.Application) -> None:
    app[PERSON_DIALOGS] = {}
    users = "/_sandbox/users/{user_id}"
    app.router.add_post(f"{users}/forward", forward_message)
    app.router.add_get(f"{users}/dialogs", list_dialogs)
