"""What one outbox row becomes at MAX: a callback answer, an edit, or a message whose notice is
rendered now in the recipient's language, with its photo attached by an upload made once. A
message whose earlier attempt got no answer is looked for in the chat first (bot/sent_lookup.py)."""

from __future__ import annotations

import base64
from datetime import datetime

import asyncpg

from bot.client import MaxClient
from bot.notices import Rendered, read_notice, render
from bot.sent_lookup import find_sent
from bot.services import BotIdentity
from bot.types import ImageAttachmentRequest, NewMessageBody, PhotoRequestPayload
from gallery.account.exports import FILE_KEY
from gallery.notices import NOTICE_KEY
from storage.cards import CARD_IMAGE
from storage.max_media import max_image_token, remember_max_image_token
from storage.media import MediaStore
from storage.outbox import OutboxRow
from storage.outbox_inline import INLINE_PNG, forget_inline_png
from storage.outbox_sent import last_delivered_before
from storage.users import get_user


class PushDelivery:
    def __init__(
        self, pool: asyncpg.Pool, client: MaxClient, store: MediaStore, identity: BotIdentity
    ) -> None:
        self.pool = pool
        self.client = client
        self.store = store
        self.identity = identity

    async def send(self, row: OutboxRow) -> str | None:
        """The MAX call the row asks for; the id of the message it sent or edited, if any."""
        message = row.body.get("message")
        body = NewMessageBody.model_validate(message) if message is not None else None
        if row.kind == "answer":
            await self.client.answer_callback(
                row.body["callback_id"], notification=row.body.get("notification"), message=body
            )
            return None
        if row.kind == "edit":
            assert body is not None
            await self.client.edit_message(
                row.body["message_id"],
                text=body.text,
                format=body.format,
                attachments=body.attachments,
                notify=body.notify,
            )
            return str(row.body["message_id"])
        photo = row.body.get("photo")
        if NOTICE_KEY in row.body:  # a rule's notice, rendered now in the person's language
            rendered = await self._render(row)
            body, photo = rendered.body(), rendered.photo and rendered.photo.model_dump()
        assert body is not None
        if row.unanswered_since is not None:  # an earlier attempt may have got through
            found = await self._already_sent(row, body.text or "", row.unanswered_since)
            if found is not None:
                return found
        if photo is not None:
            image = await self._image(int(photo["photo_id"]), str(photo["key"]))
            body = body.model_copy(update={"attachments": [image, *(body.attachments or [])]})
        card = row.body.get(CARD_IMAGE)
        if card is not None:  # a provenance card from the media store, uploaded when shared
            image = await self.client.upload_image(await self.store.get(card), "card.webp")
            body = body.model_copy(update={"attachments": [image, *(body.attachments or [])]})
        png = row.body.get(INLINE_PNG)
        if png is not None:  # generated, not a stored photo (a transfer QR): uploaded each time
            image = await self.client.upload_image(base64.b64decode(png, validate=True), "qr.png")
            body = body.model_copy(update={"attachments": [image, *(body.attachments or [])]})
        body = await self._with_file(row, body)
        target = {"chat_id": row.chat_id} if row.chat_id else {"user_id": row.user_id}
        sent = await self.client.send_body(body, **target)
        if png is not None:
            async with self.pool.acquire() as conn:
                await forget_inline_png(conn, row.id)
        return sent.mid

    async def _with_file(self, row: OutboxRow, body: NewMessageBody) -> NewMessageBody:
        """A stored file the row names (a data export), uploaded for this message."""
        attached = row.body.get(FILE_KEY)
        if attached is None:
            return body
        data = await self.store.get(str(attached["key"]))
        file = await self.client.upload_file(data, str(attached["name"]))
        return body.model_copy(update={"attachments": [file, *(body.attachments or [])]})

    async def _already_sent(self, row: OutboxRow, text: str, since: datetime) -> str | None:
        chat_id = row.chat_id
        async with self.pool.acquire() as conn:
            if chat_id is None and row.user_id is not None:
                user = await get_user(conn, row.user_id)
                chat_id = None if user is None else user.dialog_chat_id
            after = await last_delivered_before(conn, row.id, row.chat_id, row.user_id)
        if chat_id is None:  # no chat to look in (a person who never opened one): send
            return None
        return await find_sent(
            self.client, self.identity.user_id, chat_id, text, after_mid=after, since=since
        )

    async def _render(self, row: OutboxRow) -> Rendered:
        """ValueError (dead-lettered) for a notice this release cannot read or a lost person."""
        notice = read_notice(row.body[NOTICE_KEY])
        async with self.pool.acquire() as conn:
            user = None if row.user_id is None else await get_user(conn, row.user_id)
        if user is None:
            raise ValueError(f"notice {row.id} names no known person")
        return render(notice, user.language, self.identity)

    async def _image(self, photo_id: int, key: str) -> ImageAttachmentRequest:
        """The photo as a MAX attachment: by the token of an earlier upload, else uploaded now."""
        async with self.pool.acquire() as conn:
            token = await max_image_token(conn, photo_id)
        if token is not None:
            return ImageAttachmentRequest(payload=PhotoRequestPayload(token=token))
        data = await self.store.get(key)
        image = await self.client.upload_image(data, key.rsplit("/", 1)[-1])
        if image.payload.token is not None:
            async with self.pool.acquire() as conn:
                await remember_max_image_token(conn, photo_id, image.payload.token)
        return image
