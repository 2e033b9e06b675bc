"""Parsing never fails on MAX's sample updates nor on kinds MAX has not invented yet."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from bot.types import (
    BotAddedUpdate,
    BotStartedUpdate,
    BotStoppedUpdate,
    CallbackButton,
    ContactAttachment,
    DialogMutedUpdate,
    FileAttachment,
    ImageAttachment,
    InlineKeyboardAttachment,
    LocationAttachment,
    MessageCallbackUpdate,
    MessageCreatedUpdate,
    MessageEditedUpdate,
    MessageRemovedUpdate,
    ShareAttachment,
    StickerAttachment,
    UnknownAttachment,
    UnknownButton,
    UnknownUpdate,
    UpdateBase,
    UserAddedUpdate,
    VideoAttachment,
    datetime_to_ms,
    ms_to_datetime,
    parse_update,
)

SAMPLES = Path(__file__).parent / "samples"

EXPECTED_KINDS: dict[str, type[UpdateBase]] = {
    "message_created": MessageCreatedUpdate,
    "message_created_photo": MessageCreatedUpdate,
    "message_callback": MessageCallbackUpdate,
    "message_edited": MessageEditedUpdate,
    "message_removed": MessageRemovedUpdate,
    "bot_started": BotStartedUpdate,
    "bot_stopped": BotStoppedUpdate,
    "bot_added": BotAddedUpdate,
    "user_added": UserAddedUpdate,
    "dialog_muted": DialogMutedUpdate,
}


def dumped(update: UpdateBase) -> Any:
    return update.model_dump(mode="json", by_alias=True, exclude_unset=True)


@pytest.mark.parametrize("name", sorted(EXPECTED_KINDS))
def test_sample_update_parses_to_its_kind_and_loses_nothing(name: str) -> None:
    raw = (SAMPLES / f"{name}.json").read_bytes()

    update = parse_update(raw)

    assert type(update) is EXPECTED_KINDS[name]
    assert dumped(update) == orjson.loads(raw)


def test_samples_cover_every_fixture_file() -> None:
    assert {path.stem for path in SAMPLES.glob("*.json")} == set(EXPECTED_KINDS)


def test_callback_sample_exposes_the_pressed_button_and_its_keyboard() -> None:
    update = parse_update((SAMPLES / "message_callback.json").read_bytes())

    assert isinstance(update, MessageCallbackUpdate)
    assert update.callback.payload == "picture"
    assert update.callback.pressed_at == datetime(2026, 4, 1, 6, 58, 22, 210000, tzinfo=UTC)
    assert update.message is not None
    assert update.message.body is not None
    keyboard = update.message.body.keyboard
    assert keyboard is not None
    assert keyboard.callback_id == "f9LHodD0cOJf4_DkJ"
    assert keyboard.payload.buttons == [
        [CallbackButton(text="Pic", payload="picture", intent="default")]
    ]


def test_every_known_attachment_kind_parses_to_its_model() -> None:
    update = parse_update((SAMPLES / "message_created_photo.json").read_bytes())

    assert isinstance(update, MessageCreatedUpdate)
    kinds = [type(attachment) for attachment in update.message.attachments]
    assert kinds[:5] == [
        ImageAttachment,
        ContactAttachment,
        LocationAttachment,
        FileAttachment,
        StickerAttachment,
    ]
    assert VideoAttachment in kinds
    assert ShareAttachment in kinds
    image = update.message.attachments[0]
    assert isinstance(image, ImageAttachment)
    assert image.payload.url == "https://i.oneme.ru/i?r=abc"


def test_bot_added_keeps_the_undocumented_top_level_user_id() -> None:
    update = parse_update((SAMPLES / "bot_added.json").read_bytes())

    assert isinstance(update, BotAddedUpdate)
    assert update.model_extra == {"user_id": 123456789}


def test_unknown_update_kind_is_kept_whole() -> None:
    raw = {
        "update_type": "message_reaction_added",
        "timestamp": 1775025604499,
        "reaction": {"emoji": "🔥", "user_id": 1},
        "chat_id": 5,
    }

    update = parse_update(orjson.dumps(raw))

    assert isinstance(update, UnknownUpdate)
    assert update.update_type == "message_reaction_added"
    assert dumped(update) == raw


def test_known_kind_with_a_broken_shape_is_kept_as_unknown_not_raised() -> None:
    raw = {"update_type": "message_created", "timestamp": 1, "message": {"nonsense": True}}

    update = parse_update(raw)

    assert isinstance(update, UnknownUpdate)
    assert update.model_dump(mode="json") == raw


def test_unknown_attachment_and_button_kinds_are_kept_inside_a_known_update() -> None:
    raw = orjson.loads((SAMPLES / "message_callback.json").read_bytes())
    body = raw["message"]["body"]
    body["attachments"][0]["payload"]["buttons"][0].append(
        {"type": "pay", "text": "Pay 5₽", "invoice": {"amount": 500}}
    )
    body["attachments"].append({"type": "poll", "payload": {"question": "?", "options": [1, 2]}})

    update = parse_update(raw)

    assert isinstance(update, MessageCallbackUpdate)
    assert update.message is not None
    keyboard, poll = update.message.attachments
    assert isinstance(keyboard, InlineKeyboardAttachment)
    assert isinstance(keyboard.payload.buttons[0][1], UnknownButton)
    assert isinstance(poll, UnknownAttachment)
    assert poll.type == "poll"
    assert dumped(update) == raw


def test_parse_update_refuses_json_that_is_not_an_object() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        parse_update(b"[1, 2]")


def test_ms_timestamps_become_aware_utc_datetimes_and_back() -> None:
    moment = ms_to_datetime(1775025604499)

    assert moment == datetime(2026, 4, 1, 6, 40, 4, 499000, tzinfo=UTC)
    assert datetime_to_ms(moment) == 1775025604499


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        datetime_to_ms(datetime(2026, 1, 1))  # noqa: DTZ001 - the naive value under test
