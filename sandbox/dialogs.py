from collections.abc import Mapping

from sandbox.attachments import AttachmentBuilder
from sandbox.clock import new_mid, now_ms
from sandbox.errors import chat_denied, not_found, proto_payload
from sandbox.formatting import formatted
from sandbox.render import sender_json
from sandbox.state import ChatEvent, JsonDict, SandboxState, SandboxUser, StoredMessage
from sandbox.validation import attachment_requests, message_text, text_format


def query_int(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise proto_payload(f"Field '{name}' must be an integer") from exc


def known_chat(state: SandboxState, chat_id: int) -> None:
    """A dialog or a group chat the bot is in; 404 for neither, 403 for a group it left."""
    group = state.groups.get(chat_id)
    if group is None:
        dialog_user(state, chat_id)
    elif not group.has_bot:
        raise chat_denied(f"Bot is not a member of chat {chat_id}")


def dialog_user(state: SandboxState, chat_id: int) -> SandboxUser:
    user = state.user_by_chat(chat_id)
    if user is None:
        raise not_found(f"Chat {chat_id} not found")
    return user


def resolve_recipient(state: SandboxState, query: Mapping[str, str]) -> SandboxUser:
    user_id, chat_id = query_int(query, "user_id"), query_int(query, "chat_id")
    if (user_id is None) == (chat_id is None):
        raise proto_payload("Exactly one of 'user_id' or 'chat_id' query parameters is required")
    if chat_id is not None:
        return dialog_user(state, chat_id)
    user = state.users.get(user_id or 0)
    if user is None:
        raise not_found(f"User {user_id} not found")
    return user


def ensure_reachable(user: SandboxUser) -> None:
    if user.blocked:
        # 403 when the user stopped the bot (docs/max-platform.md, Errors).
        raise chat_denied(f"User {user.user_id} has stopped the bot")


def store_message(state: SandboxState, message: StoredMessage) -> StoredMessage:
    state.messages[message.mid] = message
    state.log_chat_event(message.chat_id,
                         ChatEvent(kind="message", timestamp=message.timestamp, mid=message.mid))
    return message


def linked_message(state: SandboxState, link: object) -> JsonDict | None:
    if link is None:
        return None
    if not isinstance(link, dict) or link.get("type") not in ("forward", "reply"):
        raise proto_payload("Field 'link' must be {type: forward|reply, mid}")
    original = state.messages.get(str(link.get("mid")))
    if original is None or original.deleted:
        raise not_found(f"Message {link.get('mid')} not found")
    body = {"mid": original.mid, "seq": original.seq, "text": original.text,
            "attachments": original.attachments, "markup": original.markup}
    return {"type": link["type"], "sender": sender_json(state, original.sender_id),
            "chat_id": original.chat_id, "message": body}


def build_bot_message(state: SandboxState, user: SandboxUser, body: JsonDict) -> StoredMessage:
    return build_bot_message_in(state, user.chat_id, user.user_id, body)


def build_bot_message_in(state: SandboxState, chat_id: int, recipient_user_id: int,
                         body: JsonDict) -> StoredMessage:
    fmt = text_format(body)
    text, markup = formatted(message_text(body), fmt)
    requests = attachment_requests(body)
    if text is None and not requests and body.get("link") is None:  # a forward may be all link
        raise proto_payload("Message must have text or attachments")
    builder = AttachmentBuilder(state)
    attachments = builder.build_all(requests) if requests else None
    message = StoredMessage(
        mid=new_mid(), seq=state.next_seq(), chat_id=chat_id,
        sender_id=state.config.bot_user_id, recipient_user_id=recipient_user_id,
        timestamp=now_ms(), text=text, attachments=attachments,
        link=linked_message(state, body.get("link")), text_format=fmt, markup=markup,
    )
    builder.mark_sent()
    return store_message(state, message)


def bot_message(state: SandboxState, mid: str) -> StoredMessage:
    message = state.messages.get(mid)
    if message is None or message.deleted or message.sender_id != state.config.bot_user_id:
        raise not_found(f"Message {mid} not found")
    return message


def apply_edit(state: SandboxState, message: StoredMessage, body: JsonDict) -> None:
    # Attachments null/absent keep the old ones, [] removes them all (docs/max-platform.md,
    # Sending messages).
    fmt = text_format(body) if "format" in body else message.text_format
    text, markup = formatted(message_text(body), fmt) if "text" in body else \
        (message.text, message.markup)
    requests = attachment_requests(body)
    attachments = message.attachments
    if requests is not None:
        builder = AttachmentBuilder(state)
        attachments = builder.build_all(requests) or None
        builder.mark_sent()
    message.text, message.markup, message.text_format = text, markup, fmt
    message.attachments = attachments
    message.edited_ms = now_ms()
