"""People with real photos (through the upload pipeline), and the card read back."""

from __future__ import annotations

import io
from typing import Any

import asyncpg
import zxingcpp
from PIL import Image

from tests.photos.conftest import jpeg, post_photo
from tests.webapp.helpers import ApiClient, LoggedIn

Json = dict[str, Any]


async def uploaded(client: ApiClient, who: LoggedIn, title: str, seed: int = 1) -> int:
    status, body = await post_photo(client, who, jpeg(seed), title)
    assert status == 201, body
    return int(body["id"])


async def card_of(client: ApiClient, object_id: int, who: LoggedIn | None) -> tuple[int, Json]:
    headers = who.headers if who is not None else {}
    response = await client.get(f"/api/objects/{object_id}/card", headers=headers)
    return response.status, await response.json()


async def card_image(client: ApiClient, url: str) -> Image.Image:
    response = await client.get(url)
    assert response.status == 200
    assert response.headers["Content-Type"] == "image/webp"
    image = Image.open(io.BytesIO(await response.read()))
    image.load()
    return image


def qr_text(image: Image.Image) -> str:
    [barcode] = zxingcpp.read_barcodes(image)
    return str(barcode.text)


async def stored_cards(db: asyncpg.Connection, object_id: int) -> list[Json]:
    rows = await db.fetch(
        "SELECT language, version, storage_key, rendered_at FROM provenance_cards"
        " WHERE object_id = $1 ORDER BY language",
        object_id,
    )
    return [dict(row) for row in rows]


async def hand_over(client: ApiClient, giver: LoggedIn, receiver: LoggedIn, object_id: int) -> None:
    """A direct transfer, made and accepted over the API."""
    created = await client.post(
        "/api/transfers", json={"object_id": object_id, "to_user_id": receiver.user_id},
        headers=giver.headers,
    )  # fmt: skip
    body = await created.json()
    assert created.status == 201, body
    accepted = await client.post(f"/api/transfers/{body['id']}/accept", headers=receiver.headers)
    assert accepted.status == 200, await accepted.json()
