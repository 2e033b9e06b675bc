from sandbox.clock import new_mid, now_ms
from sandbox.dialogs import store_message
from sandbox.render import message_json, user_json
from sandbox.state import JsonDict, SandboxState, SandboxUser, StoredMessage


def base_update(update_type: str, user: SandboxUser, *, in_dialog: bool = True) -> JsonDict:
    # user_locale is sent in dialogs only (docs/max-platform.md, Updates we handle).
    update: JsonDict = {"update_type": update_type, "timestamp": now_ms()}
    if in_dialog:
        update["user_locale"] = user.language_code
    return update


def user_message(state: SandboxState, user: SandboxUser, text: str | None,
                 attachments: list[JsonDict] | None) -> StoredMessage:
    user.last_activity_ms = now_ms()
    message = StoredMessage(
        mid=new_mid(), seq=state.next_seq(), chat_id=user.chat_id, sender_id=user.user_id,
        recipient_user_id=state.config.bot_user_id, timestamp=now_ms(), text=text,
        attachments=attachments,
    )
    return store_message(state, message)


def message_created(state: SandboxState, user: SandboxUser, message: StoredMessage) -> JsonDict:
    in_dialog = message.chat_id not in state.groups
    return {**base_update("message_created", user, in_dialog=in_dialog),
            "message": message_json(state, message)}


def bot_started(user: SandboxUser, payload: str | None) -> JsonDict:
    return {**base_update("bot_started", user), "chat_id": user.chat_id,
            "user": user_json(user), "payload": payload}


def bot_stopped(user: SandboxUser) -> JsonDict:
    return {**base_update("bot_stopped", user), "chat_id": user.chat_id, "user": user_json(user)}


def message_callback(state: SandboxState, user: SandboxUser, message: StoredMessage,
                     callback_id: str, payload: str) -> JsonDict:
    callback = {"timestamp": now_ms(), "callback_id": callback_id, "payload": payload,
                "user": user_json(user)}
    in_dialog = message.chat_id not in state.groups
    return {**base_update("message_callback", user, in_dialog=in_dialog), "callback": callback,
            "message": message_json(state, message)}
