"""A card sent by the bot into the person's own chat with it, so the mini-app can hand MAX that
message to forward (the bridge's shareMaxContent takes a message the bot sent, by its `mid`:
docs/max-platform.md, Bridge API). The message is the image and the object's link, no words: a
link is the same in every language, and only bot/ writes chat text."""

from __future__ import annotations

from gallery.cards import Card
from storage import cards
from storage.db import Connection
from storage.errors import Conflict, NotFound
from storage.outbox_queue import enqueue
from storage.users import get_user


async def send_card_to_self(conn: Connection, user_id: int, card: Card) -> int:
    """Queue the card to `user_id`'s dialog with the bot; the outbox id, to ask for its mid.
    Conflict when the bot cannot write to them (no dialog yet, or they blocked it)."""
    person = await get_user(conn, user_id)
    body = {"message": {"text": card.links.app_link}, cards.CARD_IMAGE: card.storage_key}
    outbox_id = None
    if person is not None and person.dialog_chat_id is not None:  # its pace is the dialog's
        outbox_id = await enqueue(
            conn, kind="send", body=body, user_id=user_id, chat_id=person.dialog_chat_id,
            actor_id=user_id,
        )  # fmt: skip
    if outbox_id is None:
        raise Conflict("open the chat with the bot first, then try again", code="bot_unreachable")
    return outbox_id


async def sent_card_mid(
    conn: Connection, user_id: int, object_id: int, outbox_id: int
) -> str | None:
    """The message's mid once MAX took it; None while it is on its way. NotFound unless it is
    a card of `object_id` sent to `user_id` (another person's message looks like none)."""
    mid = await cards.card_message_mid(conn, outbox_id, user_id, object_id)
    if mid is None:
        raise NotFound(f"card message {outbox_id} does not exist")
    return mid or None
