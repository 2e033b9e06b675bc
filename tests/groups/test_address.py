"""Which group messages speak to the bot (bot/group_address.py): one case per rule."""

from __future__ import annotations

import pytest

from bot.group_address import Addressed, addressed
from bot.types import MarkupElement

BOT, BOT_ID = "gallery_sandbox_bot", 229229229


def mention(start: int, length: int, user_id: int = BOT_ID) -> MarkupElement:
    return MarkupElement.model_validate(
        {"type": "user_mention", "from": start, "length": length, "user_id": user_id}
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/help", Addressed("help", "", slash=True)),
        (f"/HELP@{BOT.upper()}", Addressed("help", "", slash=True)),
        (f"/add@{BOT} Sunset at sea", Addressed("add", "Sunset at sea", slash=True)),
        (f"@{BOT} add Sunset", Addressed("add", "Sunset", slash=False)),
        (f"@{BOT} /my", Addressed("my", "", slash=True)),
        (f"@{BOT}", Addressed(None, "", slash=False)),
        (f"hey @{BOT}, hi!", Addressed("hey", ", hi!", slash=False)),
        (f"/nosuch@{BOT}", Addressed("nosuch", "", slash=True)),
    ],
)
def test_what_speaks_to_the_bot(text: str, expected: Addressed) -> None:
    assert addressed(text, None, BOT, BOT_ID) == expected


@pytest.mark.parametrize(
    "text",
    ["hello all", "/help@other_bot", f"mail bob@{BOT}.org", f"@{BOT}x hi", "", "/", "@other hi"],
)
def test_chatter_and_other_bots_are_not_the_bots(text: str) -> None:
    assert addressed(text, None, BOT, BOT_ID) is None


def test_a_mention_element_counts_in_utf16_units() -> None:
    # "😀" is two UTF-16 units: the mention of "Gallery" starts at unit 3, code point 2
    text = "😀 Gallery"
    assert addressed(text, [mention(3, 7)], BOT, BOT_ID) == Addressed(None, "😀", slash=False)
    assert addressed(text, [mention(3, 7, user_id=5)], BOT, BOT_ID) is None
    assert addressed("Gallery my", [mention(0, 7)], BOT, BOT_ID) == Addressed("my", "", slash=False)


def test_unknown_slash_commands_are_not_answered_but_mentions_are() -> None:
    assert addressed(f"/nosuch@{BOT}", None, BOT, BOT_ID).answered is False  # type: ignore[union-attr]
    assert addressed(f"@{BOT} nosuch", None, BOT, BOT_ID).answered is True  # type: ignore[union-attr]
    assert addressed("/privacy", None, BOT, BOT_ID).answered is True  # type: ignore[union-attr]
