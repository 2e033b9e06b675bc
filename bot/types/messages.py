"""Messages, their bodies, and the callback a button press produces."""

from datetime import datetime

from pydantic import Field

from bot.types.attachments import Attachment, InlineKeyboardAttachment
from bot.types.base import MaxModel, ms_to_datetime
from bot.types.users import Recipient, User


class MarkupElement(MaxModel):
    type: str
    from_: int = Field(alias="from")
    length: int
    url: str | None = None
    user_link: str | None = None
    user_id: int | None = None


class MessageBody(MaxModel):
    mid: str
    seq: int | None = None
    text: str | None = None
    attachments: list[Attachment] | None = None
    markup: list[MarkupElement] | None = None

    @property
    def keyboard(self) -> InlineKeyboardAttachment | None:
        for attachment in self.attachments or ():
            if isinstance(attachment, InlineKeyboardAttachment):
                return attachment
        return None


class LinkedMessage(MaxModel):
    # "forward" or "reply"
    type: str
    sender: User | None = None
    # Origin chat, for forwards only.
    chat_id: int | None = None
    message: MessageBody


class MessageStat(MaxModel):
    views: int | None = None


class Message(MaxModel):
    # None for channel posts.
    sender: User | None = None
    recipient: Recipient
    timestamp: int
    link: LinkedMessage | None = None
    # MAX documents a null body for a message that only forwards another one.
    body: MessageBody | None = None
    stat: MessageStat | None = None
    url: str | None = None

    @property
    def sent_at(self) -> datetime:
        return ms_to_datetime(self.timestamp)

    @property
    def mid(self) -> str | None:
        return self.body.mid if self.body else None

    @property
    def text(self) -> str | None:
        return self.body.text if self.body else None

    @property
    def attachments(self) -> list[Attachment]:
        return list(self.body.attachments or ()) if self.body else []


class Callback(MaxModel):
    timestamp: int
    callback_id: str
    # The pressed button's payload.
    payload: str | None = None
    user: User

    @property
    def pressed_at(self) -> datetime:
        return ms_to_datetime(self.timestamp)
