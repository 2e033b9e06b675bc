"""What a handler receives: the update, its transaction, the sender's row, and ways to answer."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.markup import Markup, message_json, plain
from bot.types import (
    BotAddedUpdate,
    BotRemovedUpdate,
    BotStartedUpdate,
    BotStoppedUpdate,
    ChatTitleChangedUpdate,
    DialogClearedUpdate,
    DialogMutedUpdate,
    DialogRemovedUpdate,
    DialogUnmutedUpdate,
    InlineKeyboardAttachmentRequest,
    MessageCallbackUpdate,
    MessageCreatedUpdate,
    MessageEditedUpdate,
    NewMessageBody,
    Update,
    User,
    UserAddedUpdate,
    UserRemovedUpdate,
)
from gallery.limits import Ceiling
from storage.db import Connection
from storage.limits import CounterHit
from storage.models import UserRow
from storage.outbox_inline import INLINE_PNG
from storage.outbox_queue import enqueue

if TYPE_CHECKING:
    from bot.services import BotServices


_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)
_UNPARSED: Any = object()


def parse_command(text: str) -> tuple[str, str] | None:
    """`/Name@bot  args ` → ("name", "args"); None when the text is not a command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def update_key(update: Update) -> str:
    """The idempotency key of an update; MAX sends no update id."""
    if isinstance(update, MessageCreatedUpdate) and update.message.mid:
        return f"m:{update.message.mid}"
    if isinstance(update, MessageCallbackUpdate):
        # MAX reuses one callback_id for every press on a keyboard (docs/max-platform.md), so a
        # press is told apart by its own timestamp and payload; a redelivery repeats all three.
        callback = update.callback
        raw = f"{callback.callback_id}|{callback.timestamp}|{callback.payload}"
        return "c:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
    if isinstance(update, MessageEditedUpdate) and update.message.mid:
        return f"e:{update.message.mid}:{update.timestamp}"
    chat, user = chat_id_of(update), sender_of(update)
    raw = f"{update.update_type}|{update.timestamp}|{chat}|{user.user_id if user else ''}"
    return "d:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def sender_of(update: Update) -> User | None:
    if isinstance(update, MessageCreatedUpdate | MessageEditedUpdate):
        return update.message.sender
    if isinstance(update, MessageCallbackUpdate):
        return update.callback.user
    user = getattr(update, "user", None)
    return user if isinstance(user, User) else None


def chat_id_of(update: Update) -> int | None:
    if isinstance(update, MessageCreatedUpdate | MessageEditedUpdate):
        return update.message.recipient.chat_id
    if isinstance(update, MessageCallbackUpdate) and update.message is not None:
        return update.message.recipient.chat_id
    chat_id = getattr(update, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


GROUP_EVENTS = (BotAddedUpdate, BotRemovedUpdate, UserAddedUpdate, UserRemovedUpdate,
                ChatTitleChangedUpdate)  # fmt: skip
DIALOG_EVENTS = (BotStartedUpdate, BotStoppedUpdate, DialogClearedUpdate, DialogRemovedUpdate,
                 DialogMutedUpdate, DialogUnmutedUpdate)  # fmt: skip


def chat_type_of(update: Update) -> str | None:
    """"dialog", "chat" or "channel": where the update happened, None when it names no chat."""
    if isinstance(update, MessageCreatedUpdate | MessageEditedUpdate):
        return update.message.recipient.chat_type
    if isinstance(update, MessageCallbackUpdate) and update.message is not None:
        return update.message.recipient.chat_type
    if isinstance(update, GROUP_EVENTS):
        return "channel" if getattr(update, "is_channel", False) else "chat"
    return "dialog" if isinstance(update, DIALOG_EVENTS) else None


def dialog_chat_of(update: Update) -> int | None:
    """The person's own dialog with the bot, where pushes go; never a group's id, whatever its
    sign (MAX's dialog ids are positive, group ids negative: docs/max-platform.md)."""
    chat_id = chat_id_of(update)
    if chat_type_of(update) != "dialog" or chat_id is None or chat_id <= 0:
        return None
    return chat_id


@dataclass
class Context:
    update: Update
    services: BotServices
    key: str = ""
    conn_: Connection | None = None
    user_: UserRow | None = None
    args: str = ""
    duplicate: bool = False
    handled: bool = False  # a route's handler ran to the end
    # what this update counts against in the chat limits, and the counter after it (bot/limits.py)
    chat_ceiling: Ceiling | None = None
    chat_hit: CounterHit | None = None
    _command: tuple[str, str] | None = field(default=_UNPARSED, repr=False)

    def __post_init__(self) -> None:
        self.key = self.key or update_key(self.update)

    @property
    def command(self) -> tuple[str, str] | None:
        """The message's command and its arguments (bot.filters.Command), parsed once."""
        if self._command is _UNPARSED:
            self._command = parse_command(self.text)
        return self._command

    @property
    def conn(self) -> Connection:
        if self.conn_ is None:
            raise RuntimeError("no database connection: the database middleware did not run")
        return self.conn_

    @property
    def user(self) -> UserRow:
        if self.user_ is None:
            raise RuntimeError("no user: the update has no sender or the user middleware is off")
        return self.user_

    @property
    def chat_id(self) -> int | None:
        return chat_id_of(self.update)

    @property
    def in_group(self) -> bool:
        return chat_type_of(self.update) in ("chat", "channel")

    @property
    def text(self) -> str:
        if isinstance(self.update, MessageCreatedUpdate):
            return self.update.message.text or ""
        return ""

    @property
    def start_payload(self) -> str | None:
        return self.update.payload if isinstance(self.update, BotStartedUpdate) else None

    @property
    def callback_payload(self) -> str:
        if isinstance(self.update, MessageCallbackUpdate):
            return self.update.callback.payload or ""
        return ""

    async def reply(
        self,
        text: Markup,
        *,
        keyboard: InlineKeyboardAttachmentRequest | None = None,
        photo: dict[str, Any] | None = None,
        png: bytes | None = None,
    ) -> int | None:
        """Queue a message to this chat in the update's transaction; `photo` ({photo_id, key})
        is attached as an image by the sender, and so is `png`, an image made for this message
        (a transfer's QR code), which the sender drops from the row once sent."""
        message = message_json(text, keyboard)
        extra: dict[str, Any] = {"photo": photo} if photo is not None else {}
        if png is not None:
            extra[INLINE_PNG] = base64.b64encode(png).decode()
        return await enqueue(
            self.conn,
            kind="send",
            body={"message": message, **extra},
            # a group's message is no one's push: a refusal there says nothing of the person
            user_id=self.user_.id if self.user_ and not self.in_group else None,
            chat_id=self.chat_id,
        )

    async def answer(
        self, notification: str | None = None, message: NewMessageBody | None = None
    ) -> None:
        """Answer the pressed button (toast and/or new message) in the update's transaction. The
        toast is plain text (bot.texts.label); `message` comes from bot.markup.message_body."""
        if not isinstance(self.update, MessageCallbackUpdate):
            raise RuntimeError("only a button press can be answered")
        body: dict[str, Any] = {"callback_id": self.update.callback.callback_id}
        if notification is not None:
            body["notification"] = plain(notification)
        if message is not None:
            body["message"] = message.model_dump(mode="json", exclude_none=True)
        await enqueue(self.conn, kind="answer", body=body, chat_id=self.chat_id)
