"""Updates (webhook bodies and long-poll items) as a union on update_type, unknown kinds kept."""

import logging
from typing import Annotated, Any, Literal

import orjson
from pydantic import Discriminator, Tag, TypeAdapter, ValidationError

from bot.types.base import MaxModel
from bot.types.messages import Callback, Message
from bot.types.users import User

log = logging.getLogger(__name__)


class UpdateBase(MaxModel):
    update_type: str
    timestamp: int = 0


class MessageCreatedUpdate(UpdateBase):
    update_type: Literal["message_created"] = "message_created"
    message: Message
    # Only in dialogs.
    user_locale: str | None = None


class MessageCallbackUpdate(UpdateBase):
    update_type: Literal["message_callback"] = "message_callback"
    callback: Callback
    # None when the message holding the keyboard was deleted.
    message: Message | None = None
    user_locale: str | None = None


class MessageEditedUpdate(UpdateBase):
    update_type: Literal["message_edited"] = "message_edited"
    message: Message


class MessageRemovedUpdate(UpdateBase):
    update_type: Literal["message_removed"] = "message_removed"
    message_id: str
    chat_id: int | None = None
    user_id: int | None = None


class ChatEventBase(UpdateBase):
    chat_id: int
    user: User
    user_locale: str | None = None


class BotStartedUpdate(ChatEventBase):
    update_type: Literal["bot_started"] = "bot_started"
    # Deep-link payload; MAX drops payloads longer than 128 characters.
    payload: str | None = None


class BotStoppedUpdate(ChatEventBase):
    update_type: Literal["bot_stopped"] = "bot_stopped"


class BotAddedUpdate(ChatEventBase):
    update_type: Literal["bot_added"] = "bot_added"
    is_channel: bool = False


class BotRemovedUpdate(ChatEventBase):
    update_type: Literal["bot_removed"] = "bot_removed"
    is_channel: bool = False


class UserAddedUpdate(ChatEventBase):
    update_type: Literal["user_added"] = "user_added"
    # None when the user joined by link.
    inviter_id: int | None = None
    is_channel: bool = False


class UserRemovedUpdate(ChatEventBase):
    update_type: Literal["user_removed"] = "user_removed"
    # None when the user left on their own.
    admin_id: int | None = None
    is_channel: bool = False


class ChatTitleChangedUpdate(ChatEventBase):
    update_type: Literal["chat_title_changed"] = "chat_title_changed"
    title: str | None = None


class DialogClearedUpdate(ChatEventBase):
    update_type: Literal["dialog_cleared"] = "dialog_cleared"


class DialogRemovedUpdate(ChatEventBase):
    update_type: Literal["dialog_removed"] = "dialog_removed"


class DialogMutedUpdate(ChatEventBase):
    update_type: Literal["dialog_muted"] = "dialog_muted"
    muted_until: int | None = None


class DialogUnmutedUpdate(ChatEventBase):
    update_type: Literal["dialog_unmuted"] = "dialog_unmuted"


class UnknownUpdate(UpdateBase):
    """An update kind this code does not know (or a malformed one); every field is kept."""

    update_type: str = ""


_KNOWN: dict[str, type[UpdateBase]] = {
    model.model_fields["update_type"].default: model
    for model in (
        MessageCreatedUpdate,
        MessageCallbackUpdate,
        MessageEditedUpdate,
        MessageRemovedUpdate,
        BotStartedUpdate,
        BotStoppedUpdate,
        BotAddedUpdate,
        BotRemovedUpdate,
        UserAddedUpdate,
        UserRemovedUpdate,
        ChatTitleChangedUpdate,
        DialogClearedUpdate,
        DialogRemovedUpdate,
        DialogMutedUpdate,
        DialogUnmutedUpdate,
    )
}


def _update_tag(value: Any) -> str:
    if isinstance(value, UnknownUpdate):
        return "unknown"
    if isinstance(value, dict):
        kind = value.get("update_type")
    else:
        kind = getattr(value, "update_type", None)
    return kind if isinstance(kind, str) and kind in _KNOWN else "unknown"


Update = Annotated[
    Annotated[MessageCreatedUpdate, Tag("message_created")]
    | Annotated[MessageCallbackUpdate, Tag("message_callback")]
    | Annotated[MessageEditedUpdate, Tag("message_edited")]
    | Annotated[MessageRemovedUpdate, Tag("message_removed")]
    | Annotated[BotStartedUpdate, Tag("bot_started")]
    | Annotated[BotStoppedUpdate, Tag("bot_stopped")]
    | Annotated[BotAddedUpdate, Tag("bot_added")]
    | Annotated[BotRemovedUpdate, Tag("bot_removed")]
    | Annotated[UserAddedUpdate, Tag("user_added")]
    | Annotated[UserRemovedUpdate, Tag("user_removed")]
    | Annotated[ChatTitleChangedUpdate, Tag("chat_title_changed")]
    | Annotated[DialogClearedUpdate, Tag("dialog_cleared")]
    | Annotated[DialogRemovedUpdate, Tag("dialog_removed")]
    | Annotated[DialogMutedUpdate, Tag("dialog_muted")]
    | Annotated[DialogUnmutedUpdate, Tag("dialog_unmuted")]
    | Annotated[UnknownUpdate, Tag("unknown")],
    Discriminator(_update_tag),
]

_UPDATE_ADAPTER: TypeAdapter[Update] = TypeAdapter(Update)


def parse_update(data: bytes | str | dict[str, Any]) -> Update:
    """Parse one update; never fails on a JSON object.

    A known kind whose shape does not match is kept whole as UnknownUpdate (and logged) rather than
    raised: a webhook that answers non-200 makes MAX redeliver it for hours, and a long poll that
    cannot parse one update would stall on it forever. Raises ValueError only for non-objects.
    """
    raw = _load_object(data)
    try:
        return _UPDATE_ADAPTER.validate_python(raw)
    except ValidationError as error:
        log.warning(
            "update %r does not match its schema, kept as unknown: %s",
            raw.get("update_type"),
            error,
        )
        return UnknownUpdate.model_construct(**raw)


def _load_object(data: bytes | str | dict[str, Any]) -> dict[str, Any]:
    raw = data if isinstance(data, dict) else orjson.loads(data)
    if not isinstance(raw, dict):
        raise ValueError(f"an update is a JSON object, got {type(raw).__name__}")
    return raw
