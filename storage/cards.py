"""SQL for provenance cards: what a card shows (as anyone may see it) and which card is stored."""

from __future__ import annotations

from datetime import datetime

from storage.db import Connection
from storage.models import Language, Row
from storage.objects import OWNER_NAME, visible_to


class CardSubject(Row):
    """The object as its card shows it. Only what anyone may know: a card is shared and
    forwarded, so owners whose collection is not public are left unnamed (HISTORY rules with
    a signed-out viewer), while the creator is always named, as in every history."""

    object_id: int
    photo_id: int
    preview_key: str
    title: str
    version: int
    creator_name: str


class CardOwner(Row):
    name: str | None
    at: datetime
    reason: str


class StoredCard(Row):
    object_id: int
    language: Language
    version: int
    digest: str
    storage_key: str
    rendered_at: datetime


SUBJECT = f"""
SELECT o.id AS object_id, o.photo_id, p.preview_key, o.title, o.version,
       {OWNER_NAME} AS creator_name
FROM art_objects o JOIN photos p ON p.id = o.photo_id JOIN users u ON u.id = o.creator_id
WHERE o.id = $1
"""

OWNERS = f"""
SELECT CASE WHEN u.id = o.creator_id OR {visible_to("u", "NULL")} THEN {OWNER_NAME} END AS name,
       h.created_at AS at, h.reason
FROM ownership_history h
JOIN art_objects o ON o.id = h.object_id
JOIN users u ON u.id = h.to_user_id
WHERE h.object_id = $1
ORDER BY h.created_at, h.id
"""


async def card_subject(conn: Connection, object_id: int) -> CardSubject | None:
    """No visibility check here: the caller has made it (gallery.cards)."""
    row = await conn.fetchrow(SUBJECT, object_id)
    return None if row is None else CardSubject.model_validate(dict(row))


async def card_owners(conn: Connection, object_id: int) -> list[CardOwner]:
    """Everyone who owned it, oldest first."""
    rows = await conn.fetch(OWNERS, object_id)
    return [CardOwner.model_validate(dict(row)) for row in rows]


async def stored_card(conn: Connection, object_id: int, language: Language) -> StoredCard | None:
    row = await conn.fetchrow(
        "SELECT * FROM provenance_cards WHERE object_id = $1 AND language = $2",
        object_id,
        language,
    )
    return None if row is None else StoredCard.model_validate(dict(row))


SAVE = """
INSERT INTO provenance_cards AS c (object_id, language, version, digest, storage_key)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (object_id, language) DO UPDATE
SET version = EXCLUDED.version, digest = EXCLUDED.digest, storage_key = EXCLUDED.storage_key,
    rendered_at = now()
RETURNING (SELECT storage_key FROM provenance_cards
           WHERE object_id = $1 AND language = $2) AS replaced
"""


async def save_card(
    conn: Connection, object_id: int, language: Language, version: int, digest: str, key: str
) -> str | None:
    """Remember the card; the key of the card it replaced (to delete), if any other."""
    replaced: str | None = await conn.fetchval(SAVE, object_id, language, version, digest, key)
    return replaced if replaced != key else None


# An outbox row's body key: the media-store key of a card image the sender attaches to the message
CARD_IMAGE = "card_image_key"


async def card_message_mid(
    conn: Connection, outbox_id: int, user_id: int, object_id: int
) -> str | None:
    """The mid of a card of `object_id` queued for `user_id`, "" while it is on its way; None
    for no such message (not theirs, not a card, or another object's card)."""
    mid: str | None = await conn.fetchval(
        """SELECT COALESCE(o.message_id, '') FROM outbox o JOIN art_objects a ON a.id = $4
           WHERE o.id = $1 AND o.user_id = $2 AND o.body ? $3
             AND split_part(o.body ->> $3, '/', 3) = a.photo_id::text""",
        outbox_id,
        user_id,
        CARD_IMAGE,
        object_id,
    )
    return mid
