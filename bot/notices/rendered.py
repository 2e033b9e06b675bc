"""A notice as a message: its text, its buttons, and the stored image to attach, if any."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot import keyboards
from bot.markup import Markup, message_body
from bot.types import Button, NewMessageBody
from gallery.notices.kinds import PhotoRef

Buttons = list[list[Button]]


@dataclass(frozen=True)
class Rendered:
    text: Markup
    buttons: Buttons = field(default_factory=list)
    photo: PhotoRef | None = None

    def body(self) -> NewMessageBody:
        attachments = [keyboards.inline_keyboard(self.buttons)] if self.buttons else None
        return message_body(self.text, attachments=attachments)


def quoted(titles: list[str]) -> str:
    """«First», «Second» — or a dash for a side with nothing on it."""
    return ", ".join(f"«{title}»" for title in titles) or "—"
