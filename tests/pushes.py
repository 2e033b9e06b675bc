"""What a queued push says: its rendered text, whether the row holds a message or a notice."""

from __future__ import annotations

from typing import Any

from bot.notices import read_notice, render
from bot.services import BotIdentity
from gallery.notices import NOTICE_KEY
from storage.models import Language

TEST_BOT = BotIdentity(1, "gallery_test_bot", "Gallery")


def pushed_text(body: dict[str, Any], language: Language = "en") -> str:
    """The text as the sender would send it (notices render in the person's language)."""
    if NOTICE_KEY in body:
        return str(render(read_notice(body[NOTICE_KEY]), language, TEST_BOT).text)
    return str(body["message"]["text"])


def pushed_message(body: dict[str, Any], language: Language = "en") -> dict[str, Any]:
    """The message as the sender would send it, with the stored image to attach under
    "photo" (what a rendered row keeps beside its message)."""
    if NOTICE_KEY not in body:
        return {**body["message"], "photo": body.get("photo")}
    rendered = render(read_notice(body[NOTICE_KEY]), language, TEST_BOT)
    message = rendered.body().model_dump(mode="json", exclude_none=True)
    return {**message, "photo": rendered.photo.model_dump() if rendered.photo else None}
