"""Keyboard builders produce MAX's JSON and refuse what MAX would refuse."""

import pytest

from bot import keyboards
from bot.types import Button


def test_keyboard_serializes_as_max_expects() -> None:
    keyboard = keyboards.inline_keyboard(
        [
            [keyboards.callback("Like", "like:1"), keyboards.message("Hi")],
            [keyboards.link("Site", "https://example.com"), keyboards.request_contact("Phone")],
            [keyboards.open_app("Gallery", "gallery_bot", payload="art_42", contact_id=7)],
            [keyboards.clipboard("Copy", "code-1"), keyboards.request_geo_location("Where")],
        ]
    )

    assert keyboard.model_dump(mode="json", exclude_none=True) == {
        "type": "inline_keyboard",
        "payload": {
            "buttons": [
                [
                    {"type": "callback", "text": "Like", "payload": "like:1"},
                    {"type": "message", "text": "Hi"},
                ],
                [
                    {"type": "link", "text": "Site", "url": "https://example.com"},
                    {"type": "request_contact", "text": "Phone"},
                ],
                [
                    {
                        "type": "open_app",
                        "text": "Gallery",
                        "web_app": "gallery_bot",
                        "contact_id": 7,
                        "payload": "art_42",
                    }
                ],
                [
                    {"type": "clipboard", "text": "Copy", "payload": "code-1"},
                    {"type": "request_geo_location", "text": "Where", "quick": False},
                ],
            ]
        },
    }


def test_eight_buttons_in_a_row_are_refused() -> None:
    row: list[Button] = [keyboards.callback(str(n), str(n)) for n in range(8)]

    with pytest.raises(ValueError, match="row 1 has 8 buttons, MAX allows 7"):
        keyboards.inline_keyboard([row])


def test_a_row_with_a_link_holds_at_most_three() -> None:
    row: list[Button] = [keyboards.callback("a", "a") for _ in range(3)]
    row.append(keyboards.link("l", "https://x.ru"))

    with pytest.raises(ValueError, match="allows 3"):
        keyboards.inline_keyboard([row])


def test_thirty_one_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="31 rows"):
        keyboards.inline_keyboard([[keyboards.callback("a", "a")]] * 31)


def test_empty_keyboard_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        keyboards.inline_keyboard([])


def test_long_callback_payload_is_refused() -> None:
    with pytest.raises(ValueError, match="payload is 1025 characters"):
        keyboards.callback("a", "x" * 1025)


def test_link_needs_http_or_https() -> None:
    with pytest.raises(ValueError, match="http or https"):
        keyboards.link("a", "javascript:alert(1)")


def test_open_app_payload_charset_is_checked() -> None:
    with pytest.raises(ValueError, match="only A-Z"):
        keyboards.open_app("App", "bot", payload="a b")


def test_button_text_must_not_be_empty() -> None:
    with pytest.raises(ValueError, match="empty"):
        keyboards.message("")
