import re
from typing import Any
from urllib.parse import urlsplit

from sandbox.errors import proto_payload
from sandbox.state import JsonDict

TEXT_MAX = 4000
ROWS_MAX = 30
ROW_MAX = 7
WIDE_ROW_MAX = 3
BUTTONS_MAX = 210
BUTTON_TEXT_MAX = 128
PAYLOAD_MAX = 1024
URL_MAX = 2048
APP_PAYLOAD_MAX = 512
APP_PAYLOAD_RE = re.compile(r"^[\w-]*$", re.ASCII)
# A row holding any of these may have at most 3 buttons (docs/max-platform.md, Inline keyboards).
WIDE_BUTTONS = {"link", "open_app", "request_contact", "request_geo_location"}
BUTTON_TYPES = WIDE_BUTTONS | {"callback", "message", "clipboard"}
TEXT_FORMATS = {"markdown", "html"}


def max_size(field: str, value: str | list[Any], limit: int) -> None:
    if len(value) > limit:
        raise proto_payload(f"Field '{field}' size ({len(value)}) must be at most {limit}")


def optional_str(body: JsonDict, field: str) -> str | None:
    value = body.get(field)
    if value is not None and not isinstance(value, str):
        raise proto_payload(f"Field '{field}' must be a string")
    return value


def required_str(body: JsonDict, field: str) -> str:
    value = optional_str(body, field)
    if value is None:
        raise proto_payload(f"Missing required field: {field}")
    return value


def message_text(body: JsonDict) -> str | None:
    text = optional_str(body, "text")
    if text is not None:
        max_size("text", text, TEXT_MAX)
    return text


def text_format(body: JsonDict) -> str | None:
    value = optional_str(body, "format")
    if value is not None and value not in TEXT_FORMATS:
        raise proto_payload(f"Field 'format' has invalid value: {value}")
    return value


def attachment_requests(body: JsonDict) -> list[JsonDict] | None:
    items = body.get("attachments")
    if items is None:
        return None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise proto_payload("Field 'attachments' must be an array of objects")
    for item in items:
        if not isinstance(item.get("type"), str):
            raise proto_payload("Missing required field: type")
    check_attachment_mix([str(i["type"]) for i in items])
    return items


def check_attachment_mix(types: list[str]) -> None:
    if types.count("inline_keyboard") > 1:
        raise proto_payload("Must be only one inline keyboard in message")
    if types.count("file") > 1:
        raise proto_payload("Must be only one file attachment in message")
    if sum(t in ("image", "video") for t in types) > 12:
        raise proto_payload("Must be at most 12 image and video attachments in message")
    others = [t for t in types if t != "inline_keyboard"]
    if "file" in others and len(others) > 1:
        raise proto_payload("File attachment may be combined only with an inline keyboard")
    for lone in ("audio", "sticker", "contact"):
        if lone in types and len(types) > 1:
            raise proto_payload(f"Attachment of type '{lone}' must be the only attachment")


def keyboard_buttons(payload: Any) -> list[list[JsonDict]]:
    rows = payload.get("buttons") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows:
        raise proto_payload("Field 'buttons' must be a non-empty array of rows")
    max_size("buttons", rows, ROWS_MAX)
    total = 0
    for row in rows:
        check_row(row)
        total += len(row)
    if total > BUTTONS_MAX:
        raise proto_payload(f"Keyboard has {total} buttons, must be at most {BUTTONS_MAX}")
    return [[received_button(b) for b in row] for row in rows]


def check_row(row: Any) -> None:
    if not isinstance(row, list) or not row or not all(isinstance(b, dict) for b in row):
        raise proto_payload("Every keyboard row must be a non-empty array of buttons")
    limit = WIDE_ROW_MAX if any(b.get("type") in WIDE_BUTTONS for b in row) else ROW_MAX
    if len(row) > limit:
        raise proto_payload(f"Row has {len(row)} buttons, must be at most {limit}")
    for button in row:
        check_button(button)


def check_button(button: JsonDict) -> None:
    kind = button.get("type")
    if kind not in BUTTON_TYPES:
        raise proto_payload(f"Unknown button type: {kind}")
    text = required_str(button, "text")
    if not text:
        raise proto_payload("Field 'text' size (0) must be at least 1")
    max_size("text", text, BUTTON_TEXT_MAX)
    if kind in ("callback", "clipboard"):
        max_size("payload", required_str(button, "payload"), PAYLOAD_MAX)
    elif kind == "link":
        check_link_url(required_str(button, "url"))
    elif kind == "open_app":
        check_open_app(button)


def check_link_url(url: str) -> None:
    max_size("url", url, URL_MAX)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise proto_payload("Must have only http/https links format in buttons")


def check_open_app(button: JsonDict) -> None:
    payload = optional_str(button, "payload")
    if payload is None:
        return
    max_size("payload", payload, APP_PAYLOAD_MAX)
    if not APP_PAYLOAD_RE.fullmatch(payload):
        raise proto_payload("Field 'payload' must match ^[\\w-]*$")


def received_button(button: JsonDict) -> JsonDict:
    # Keyboards MAX delivers carry the deprecated `"intent": "default"` on each button.
    if button["type"] == "callback":
        return {"intent": "default", **button}
    return dict(button)
