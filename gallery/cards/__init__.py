"""Provenance cards: an image of an object and its chain of owners, with a QR code of its deep
link, for anyone who may see the object to look at, send and forward.

A card is drawn once per change of what it shows (the owner above all) and kept in the media
store under the object's photo, keyed by a digest of everything drawn: a new owner, a new
title or a collection that closed means a new key, and an unchanged object is never drawn again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from concurrent.futures import Executor
from dataclasses import asdict, dataclass

from gallery.cards.labels import LABELS
from gallery.cards.links import ObjectLinks, object_links
from gallery.cards.render import CardContent, OwnerLine, render_card
from storage import cards, objects
from storage.db import Connection
from storage.errors import NotFound
from storage.media import MediaNotFound, MediaStore, MediaUnavailable, storage_key
from storage.models import Language

CARD_FORMAT = "webp"
DRAWING = "2"  # bump when render.py draws differently: every card is drawn anew


@dataclass(frozen=True)
class Card:
    object_id: int
    photo_id: int
    storage_key: str
    version: int  # the ownership version it shows
    links: ObjectLinks
    title: str
    owner_id: int
    owner_name: str  # as the viewer who asked may see it (the image names owners as anyone may)


async def object_card(
    conn: Connection,
    store: MediaStore,
    executor: Executor,
    *,
    object_id: int,
    viewer: int | None,
    language: Language,
    bot_username: str,
) -> Card:
    """The object's card, drawn now if what it shows changed; NotFound when `viewer` may not see
    the object (or there is none: the same answer)."""
    detail = await objects.get_object_detail(conn, object_id, viewer)  # the visibility check
    subject = await cards.card_subject(conn, object_id)
    if subject is None:
        raise NotFound(f"art object {object_id} does not exist")
    links = object_links(bot_username, object_id)
    content = await _content(conn, subject, links, language)
    digest = _digest(content, subject.photo_id)
    key = storage_key(subject.photo_id, f"card-{language}-{digest[:16]}", CARD_FORMAT)
    stored = await cards.stored_card(conn, object_id, language)
    card = Card(
        object_id, subject.photo_id, key, subject.version, links,
        title=detail.title, owner_id=detail.owner_id, owner_name=detail.owner_name,
    )  # fmt: skip
    # the file is looked for too: a restored backup or a swept key must not leave a dead link
    if stored is not None and stored.storage_key == key and await store.head(key) is not None:
        return card
    try:
        photo = await store.get(subject.preview_key)
    except MediaNotFound:  # a lost file: say so as the store being away would, and draw later
        raise MediaUnavailable(f"the photo of object {object_id} cannot be read") from None
    drawn = await asyncio.get_running_loop().run_in_executor(executor, render_card, content, photo)
    await store.put(key, drawn, "image/webp")
    replaced = await cards.save_card(conn, object_id, language, subject.version, digest, key)
    if replaced is not None and not conn.is_in_transaction():
        # inside a caller's transaction the old row may come back on rollback: its file stays,
        # and goes with the photo (the orphan sweep)
        await store.delete([replaced])
    return card


async def _content(
    conn: Connection, subject: cards.CardSubject, links: ObjectLinks, language: Language
) -> CardContent:
    owners = await cards.card_owners(conn, subject.object_id)
    return CardContent(
        object_id=subject.object_id,
        title=subject.title,
        creator_name=subject.creator_name,
        owners=tuple(OwnerLine(o.name, o.at, o.reason) for o in owners),
        link=links.app_link,
        labels=LABELS[language],
    )


def _digest(content: CardContent, photo_id: int) -> str:
    drawn = {"drawing": DRAWING, "photo": photo_id, "content": asdict(content)}
    return hashlib.sha256(json.dumps(drawn, default=str, sort_keys=True).encode()).hexdigest()
