"""Turning a photo posted in a group chat into its sender's object: only the sender may, and a
photo message is taken once however many replies or presses race for it."""

from __future__ import annotations

from collections.abc import Sequence

from config.settings import Settings
from gallery.photos.intake import CreatedObject, create_photo_object
from gallery.photos.pools import ImagePools
from storage.db import Connection
from storage.errors import Conflict, Forbidden
from storage.group_chats import claim_group_photo, ensure_group, record_group_object
from storage.media import MediaStore


class NotTheSender(Forbidden):
    def __init__(self) -> None:
        super().__init__("only the person who posted the photo can add it", code="not_sender")


class AlreadyAdded(Conflict):
    def __init__(self) -> None:
        super().__init__("this photo was added already", code="already_added")


def ensure_sender(sender_id: int | None, asker_id: int) -> None:
    """Checked before anything is fetched: someone else learns nothing about the photo."""
    if sender_id is None or sender_id != asker_id:
        raise NotTheSender()


async def adopt_group_photos(
    conn: Connection,
    store: MediaStore,
    pools: ImagePools,
    settings: Settings,
    *,
    chat_id: int,
    message_id: str,
    owner_id: int,
    images: Sequence[bytes],
    title: str | None,
) -> list[CreatedObject]:
    """Every image of the message as `owner_id`'s object, or none (the claim rolls back with a
    refusal, so the sender may try again). AlreadyAdded when the message was taken before."""
    await ensure_group(conn, chat_id)
    async with conn.transaction():  # a savepoint in the update's transaction
        if not await claim_group_photo(conn, chat_id, message_id, owner_id):
            raise AlreadyAdded()
        created = []
        for number, data in enumerate(images, start=1):
            named = title if title is None or len(images) == 1 else f"{title} ({number})"
            created.append(
                await create_photo_object(
                    conn, store, pools, settings, uploader=owner_id, data=data, title=named
                )
            )
        await record_group_object(conn, chat_id, message_id, created[0].object.id)
    return created
