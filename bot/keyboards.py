"""Builders for inline keyboards, checked against MAX's limits before a send is refused for them.

Limits: ≤30 rows of ≤7 buttons (so MAX's 210-button cap holds by itself), and ≤3 in a row
holding a link, open_app, request_contact or request_geo_location button (MAX does not say how
mixed rows count; the safe reading is applied). Text 1–128, callback/clipboard payload ≤1024,
link url ≤2048.
"""

from collections.abc import Iterable, Sequence

from bot.types import (
    Button,
    CallbackButton,
    ClipboardButton,
    InlineKeyboardAttachmentRequest,
    Keyboard,
    LinkButton,
    MessageButton,
    OpenAppButton,
    RequestContactButton,
    RequestGeoLocationButton,
)

MAX_ROWS = 30
MAX_PER_ROW = 7
MAX_PER_WIDE_ROW = 3
MAX_TEXT = 128
MAX_PAYLOAD = 1024
MAX_URL = 2048
MAX_APP_PAYLOAD = 512
_WIDE_TYPES = frozenset({"link", "open_app", "request_contact", "request_geo_location"})


def inline_keyboard(rows: Iterable[Sequence[Button]]) -> InlineKeyboardAttachmentRequest:
    """An inline keyboard attachment; raises ValueError where MAX would refuse it."""
    buttons = [list(row) for row in rows]
    _check_shape(buttons)
    return InlineKeyboardAttachmentRequest(payload=Keyboard(buttons=buttons))


def callback(text: str, payload: str) -> CallbackButton:
    _check_length("payload", payload, MAX_PAYLOAD)
    return CallbackButton(text=_text(text), payload=payload)


def link(text: str, url: str) -> LinkButton:
    if not url.startswith(("http://", "https://")):
        raise ValueError("link buttons take http or https URLs only")
    _check_length("url", url, MAX_URL)
    return LinkButton(text=_text(text), url=url)


def open_app(
    text: str, web_app: str, *, payload: str | None = None, contact_id: int | None = None
) -> OpenAppButton:
    """Open a bot's mini-app; `payload` reaches the app as start_param."""
    if payload is not None:
        _check_length("payload", payload, MAX_APP_PAYLOAD)
        if not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in payload):
            raise ValueError("open_app payload allows only A-Z, a-z, 0-9, _ and -")
    return OpenAppButton(text=_text(text), web_app=web_app, payload=payload, contact_id=contact_id)


def message(text: str) -> MessageButton:
    """Pressing it makes the user send `text` as an ordinary message."""
    return MessageButton(text=_text(text))


def clipboard(text: str, payload: str) -> ClipboardButton:
    _check_length("payload", payload, MAX_PAYLOAD)
    return ClipboardButton(text=_text(text), payload=payload)


def request_contact(text: str) -> RequestContactButton:
    return RequestContactButton(text=_text(text))


def request_geo_location(text: str, *, quick: bool = False) -> RequestGeoLocationButton:
    """`quick=True` sends the location without asking the user to confirm."""
    return RequestGeoLocationButton(text=_text(text), quick=quick)


def shorten(text: str, limit: int = 64) -> str:
    """A label cut to `limit` characters with an ellipsis (MAX shows ~20 in a one-button row;
    the full text belongs in the message)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(text: str) -> str:
    if not text:
        raise ValueError("button text must not be empty")
    _check_length("text", text, MAX_TEXT)
    return text


def _check_length(field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        raise ValueError(f"button {field} is {len(value)} characters, MAX allows {limit}")


def _check_shape(rows: list[list[Button]]) -> None:
    if not rows or any(not row for row in rows):
        raise ValueError("a keyboard needs at least one row and no empty rows")
    if len(rows) > MAX_ROWS:
        raise ValueError(f"{len(rows)} rows, MAX allows {MAX_ROWS}")
    for number, row in enumerate(rows, start=1):
        limit = MAX_PER_WIDE_ROW if any(b.type in _WIDE_TYPES for b in row) else MAX_PER_ROW
        if len(row) > limit:
            raise ValueError(f"row {number} has {len(row)} buttons, MAX allows {limit} there")
