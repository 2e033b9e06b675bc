"""The MAX Bot API's message methods: send, edit, delete, read, answer a press, chat actions."""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from bot.errors import AttachmentNotReady
from bot.transport import MaxTransport, parse_model
from bot.types import (
    ActionRequestBody,
    AttachmentRequest,
    CallbackAnswer,
    InlineKeyboardAttachmentRequest,
    Message,
    MessageList,
    NewMessageBody,
    NewMessageLink,
    SenderAction,
    SendMessageResult,
    TextFormat,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class MessageMethods:
    """Mixed into MaxClient, which owns the transport."""

    _transport: MaxTransport

    async def send_message(
        self,
        *,
        user_id: int | None = None,
        chat_id: int | None = None,
        text: str | None = None,
        format: TextFormat | None = None,
        attachments: Sequence[AttachmentRequest] = (),
        keyboard: InlineKeyboardAttachmentRequest | None = None,
        notify: bool | None = None,
        link: NewMessageLink | None = None,
        disable_link_preview: bool | None = None,
    ) -> Message:
        """Send to a user (`user_id`) or any chat (`chat_id`); return the message as sent."""
        body = NewMessageBody(
            text=text,
            format=format,
            attachments=_with_keyboard(attachments, keyboard) or None,
            notify=notify,
            link=link,
        )
        return await self.send_body(
            body, user_id=user_id, chat_id=chat_id, disable_link_preview=disable_link_preview
        )

    async def send_body(
        self,
        body: NewMessageBody,
        *,
        user_id: int | None = None,
        chat_id: int | None = None,
        disable_link_preview: bool | None = None,
    ) -> Message:
        if (user_id is None) == (chat_id is None):
            raise ValueError("pass exactly one of user_id and chat_id")
        params = {
            "user_id": user_id,
            "chat_id": chat_id,
            "disable_link_preview": disable_link_preview,
        }
        data = await self._until_attachments_ready(
            lambda: self._transport.call("POST", "/messages", params=params, body=body)
        )
        return parse_model(SendMessageResult, data).message

    async def edit_message(
        self,
        message_id: str,
        *,
        text: str | None = None,
        format: TextFormat | None = None,
        attachments: Sequence[AttachmentRequest] | None = None,
        keyboard: InlineKeyboardAttachmentRequest | None = None,
        notify: bool | None = None,
    ) -> None:
        """Edit the bot's own message. `attachments=None` keeps them; `[]` removes them all.

        A `keyboard` is an attachment too: passing one replaces the attachments with the given
        `attachments` plus that keyboard.
        """
        kept = None if attachments is None and keyboard is None else attachments or ()
        new = None if kept is None else _with_keyboard(kept, keyboard)
        body = NewMessageBody(text=text, format=format, attachments=new, notify=notify)
        await self._until_attachments_ready(
            lambda: self._transport.call_simple(
                "PUT", "/messages", params={"message_id": message_id}, body=body
            )
        )

    async def delete_message(self, message_id: str) -> None:
        await self._transport.call_simple("DELETE", "/messages", params={"message_id": message_id})

    async def get_message(self, message_id: str) -> Message:
        return parse_model(Message, await self._transport.call("GET", f"/messages/{message_id}"))

    async def get_messages(
        self,
        *,
        chat_id: int | None = None,
        message_ids: Sequence[str] | None = None,
        count: int | None = None,
    ) -> list[Message]:
        """Messages of a chat (newest first) or the given ids."""
        params = {
            "chat_id": chat_id,
            "message_ids": ",".join(message_ids) if message_ids else None,
            "count": count,
        }
        data = await self._transport.call("GET", "/messages", params=params)
        return parse_model(MessageList, data).messages

    async def answer_callback(
        self,
        callback_id: str,
        notification: str | None = None,
        message: NewMessageBody | None = None,
    ) -> None:
        """Answer a button press: a one-time toast, a replacement for the message, or both."""
        body = CallbackAnswer(notification=notification, message=message)
        params = {"callback_id": callback_id}
        await self._transport.call_simple("POST", "/answers", params=params, body=body)

    async def send_action(self, chat_id: int, action: SenderAction) -> None:
        body = ActionRequestBody(action=action)
        await self._transport.call_simple("POST", f"/chats/{chat_id}/actions", body=body)

    async def _until_attachments_ready(self, send: Callable[[], Awaitable[T]]) -> T:
        # Safe to repeat: attachment.not.ready means MAX refused the message and showed nothing.
        for delay in self._transport.retry.attachment_not_ready_delays:
            try:
                return await send()
            except AttachmentNotReady:
                log.info("attachment not processed yet, sending again in %.1fs", delay)
            await asyncio.sleep(delay)
        return await send()


def _with_keyboard(
    attachments: Sequence[AttachmentRequest], keyboard: InlineKeyboardAttachmentRequest | None
) -> list[AttachmentRequest]:
    return [*attachments, keyboard] if keyboard is not None else list(attachments)

