"""Inline keyboard buttons. The same models are sent and received; unknown kinds are kept."""

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag

from bot.types.base import MaxModel


class ButtonBase(MaxModel):
    text: str
    # Deprecated by MAX, still present on received keyboards ("default").
    intent: str | None = None


class CallbackButton(ButtonBase):
    type: Literal["callback"] = "callback"
    payload: str


class LinkButton(ButtonBase):
    type: Literal["link"] = "link"
    url: str


class RequestContactButton(ButtonBase):
    type: Literal["request_contact"] = "request_contact"


class RequestGeoLocationButton(ButtonBase):
    type: Literal["request_geo_location"] = "request_geo_location"
    quick: bool | None = None


class OpenAppButton(ButtonBase):
    type: Literal["open_app"] = "open_app"
    web_app: str | None = None
    contact_id: int | None = None
    # Becomes the mini-app's start_param: at most 512 characters of [A-Za-z0-9_-].
    payload: str | None = None


class MessageButton(ButtonBase):
    type: Literal["message"] = "message"


class ClipboardButton(ButtonBase):
    type: Literal["clipboard"] = "clipboard"
    payload: str


class ChatButton(ButtonBase):
    """Legacy: creates a linked chat. Dropped from the newest spec but may still be received."""

    type: Literal["chat"] = "chat"
    chat_title: str | None = None
    chat_description: str | None = None
    start_payload: str | None = None
    uuid: int | None = None


class UnknownButton(ButtonBase):
    """A button kind this code does not know yet; every field is kept as received."""

    type: str
    text: str = ""


KNOWN_BUTTON_TYPES = frozenset(
    {
        "callback",
        "link",
        "request_contact",
        "request_geo_location",
        "open_app",
        "message",
        "clipboard",
        "chat",
    }
)


def _button_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if kind in KNOWN_BUTTON_TYPES else "unknown"


Button = Annotated[
    Annotated[CallbackButton, Tag("callback")]
    | Annotated[LinkButton, Tag("link")]
    | Annotated[RequestContactButton, Tag("request_contact")]
    | Annotated[RequestGeoLocationButton, Tag("request_geo_location")]
    | Annotated[OpenAppButton, Tag("open_app")]
    | Annotated[MessageButton, Tag("message")]
    | Annotated[ClipboardButton, Tag("clipboard")]
    | Annotated[ChatButton, Tag("chat")]
    | Annotated[UnknownButton, Tag("unknown")],
    Discriminator(_button_tag),
]


class Keyboard(MaxModel):
    buttons: list[list[Button]]
