from sandbox.clock import now_ms
from sandbox.state import JsonDict, SandboxState, SandboxUser, StoredMessage


def bot_user_json(state: SandboxState) -> JsonDict:
    config = state.config
    # Bots carry no last_name; `name` is deprecated but still sent (docs/max-platform.md,
    # Updates we handle).
    return {
        "user_id": config.bot_user_id,
        "first_name": config.bot_first_name,
        "username": config.bot_username,
        "is_bot": True,
        "last_activity_time": now_ms(),
        "name": config.bot_first_name,
    }


def user_json(user: SandboxUser) -> JsonDict:
    full_name = " ".join(p for p in (user.first_name, user.last_name) if p)
    return {
        "user_id": user.user_id,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "is_bot": False,
        "last_activity_time": user.last_activity_ms,
        "name": full_name,
    }


def bot_info_json(state: SandboxState) -> JsonDict:
    return {**bot_user_json(state), "description": None, "commands": list(state.commands)}


def sender_json(state: SandboxState, sender_id: int) -> JsonDict:
    if sender_id == state.config.bot_user_id:
        return bot_user_json(state)
    return user_json(state.users[sender_id])


def recipient_json(state: SandboxState, message: StoredMessage) -> JsonDict:
    if message.chat_id in state.groups:  # a group names no one person as its recipient
        return {"chat_id": message.chat_id, "chat_type": "chat", "user_id": None}
    return {"chat_id": message.chat_id, "chat_type": "dialog",
            "user_id": message.recipient_user_id}


def message_json(state: SandboxState, message: StoredMessage) -> JsonDict:
    body: JsonDict = {
        "mid": message.mid,
        "seq": message.seq,
        "text": message.text,
        "attachments": message.attachments,
        "markup": message.markup,
    }
    result: JsonDict = {
        "sender": sender_json(state, message.sender_id),
        "recipient": recipient_json(state, message),
        "timestamp": message.timestamp,
        "body": body,
    }
    if message.link is not None:
        result["link"] = message.link
    return result
