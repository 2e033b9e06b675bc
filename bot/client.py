"""MaxClient: the MAX Bot API methods the product uses, over one httpx.AsyncClient.

Create it once per process (in an aiohttp cleanup_ctx) and close it with `aclose()` or
`async with`. Sends are never retried here except on attachment.not.ready, which MAX answers
only when it refused the message; every other error reaches the caller, which decides.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from types import TracebackType
from typing import Self, TypeVar

import httpx
from pydantic import BaseModel

from bot import media
from bot.errors import AttachmentNotReady, MaxOperationFailed
from bot.transport import MaxTimeouts, MaxTransport, RetryPolicy, parse_model, ssl_context
from bot.types import (
    ActionRequestBody,
    AttachmentRequest,
    BotCommand,
    BotCommandsInfo,
    BotCommandsPatch,
    BotInfo,
    CallbackAnswer,
    ImageAttachmentRequest,
    InlineKeyboardAttachmentRequest,
    Message,
    MessageList,
    NewMessageBody,
    NewMessageLink,
    SenderAction,
    SendMessageResult,
    SimpleQueryResult,
    Subscription,
    SubscriptionList,
    SubscriptionRequestBody,
    TextFormat,
    UpdateList,
    parse_update,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


class MaxClient:
    def __init__(
        self,
        token: str,
        *,
        base_url: str,  # from settings (bot.api_base_url); the sandbox's in development
        ca_bundle: str | None = None,
        timeouts: MaxTimeouts | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        """`ca_bundle` is a PEM file added to the public roots; MAX's chain ends in a Russian CA."""
        self.timeouts = timeouts or MaxTimeouts()
        http = httpx.AsyncClient(
            base_url=base_url,
            # The bare token: MAX rejects "Bearer " and no longer reads ?access_token=.
            headers={"Authorization": token, "User-Agent": "max-photo-gallery"},
            verify=ssl_context(ca_bundle),
            timeout=self.timeouts.default(),
        )
        self._transport = MaxTransport(http, retry or RetryPolicy())

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.http.aclose()

    async def get_me(self) -> BotInfo:
        return parse_model(BotInfo, await self._transport.call("GET", "/me"))

    async def set_commands(self, commands: Sequence[BotCommand]) -> list[BotCommand]:
        """Replace the bot's command list (≤32); an empty list removes them all."""
        body = BotCommandsPatch(commands=list(commands))
        data = await self._transport.call("PATCH", "/me/commands", body=body)
        return parse_model(BotCommandsInfo, data).commands

    async def subscribe(
        self, url: str, secret: str | None = None, update_types: Sequence[str] | None = None
    ) -> None:
        types = None if update_types is None else list(update_types)
        body = SubscriptionRequestBody(url=url, secret=secret, update_types=types)
        await self._mutate("POST", "/subscriptions", body=body)

    async def unsubscribe(self, url: str) -> None:
        await self._mutate("DELETE", "/subscriptions", params={"url": url})

    async def list_subscriptions(self) -> list[Subscription]:
        data = await self._transport.call("GET", "/subscriptions")
        return parse_model(SubscriptionList, data).subscriptions

    async def get_updates(
        self,
        marker: int | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - MAX's long-poll wait, sent as a query parameter
        limit: int = 100,
        types: Sequence[str] | None = None,
    ) -> UpdateList:
        """Long poll. Passing the previous `marker` commits every update before it."""
        params = {
            "marker": marker,
            "timeout": timeout,
            "limit": limit,
            "types": ",".join(types) if types else None,
        }
        data = await self._transport.call(
            "GET", "/updates", params=params, http_timeout=self.timeouts.long_poll(timeout)
        )
        return _update_list(data)

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
            lambda: self._mutate("PUT", "/messages", params={"message_id": message_id}, body=body)
        )

    async def delete_message(self, message_id: str) -> None:
        await self._mutate("DELETE", "/messages", params={"message_id": message_id})

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
        await self._mutate("POST", "/answers", params={"callback_id": callback_id}, body=body)

    async def send_action(self, chat_id: int, action: SenderAction) -> None:
        body = ActionRequestBody(action=action)
        await self._mutate("POST", f"/chats/{chat_id}/actions", body=body)

    async def upload_image(self, data: bytes, filename: str) -> ImageAttachmentRequest:
        """Upload one image (three steps) and return the attachment to send it with."""
        return await media.upload_image(self._transport, self.timeouts, data, filename)

    async def download(self, url: str, max_bytes: int) -> bytes:
        """Download user-sent media; MediaTooLarge as soon as it exceeds `max_bytes`."""
        return await media.download(self._transport, self.timeouts, url, max_bytes)

    async def _mutate(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str | int | None] | None = None,
        body: BaseModel | None = None,
    ) -> None:
        """Calls answering SimpleQueryResult: HTTP 200 with success false is still a refusal."""
        data = await self._transport.call(method, path, params=params, body=body)
        result = parse_model(SimpleQueryResult, data)
        if not result.success:
            raise MaxOperationFailed(200, "", result.message or "")

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


def _update_list(data: object) -> UpdateList:
    """Parse updates one by one so one malformed update cannot stall the poller on its marker."""
    if not isinstance(data, dict) or not isinstance(data.get("updates"), list):
        return parse_model(UpdateList, data)
    updates = [parse_update(item) for item in data["updates"] if isinstance(item, dict)]
    return UpdateList(updates=updates, marker=data.get("marker"))
