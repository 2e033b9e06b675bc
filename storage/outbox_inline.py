"""Generated images sent with a push: a PNG in the outbox row's body, not a stored photo.

Such an image may show a secret (a transfer QR holds a single-use token), so the sender drops it
from the row as soon as the message is out; only a row that never got out keeps it, and its
transfer expires within minutes.
"""

from __future__ import annotations

from storage.db import Connection

INLINE_PNG = "image_png_b64"  # base64 of the PNG; also spelled out in forget_inline_png


async def forget_inline_png(conn: Connection, outbox_id: int) -> None:
    await conn.execute("UPDATE outbox SET body = body - 'image_png_b64' WHERE id = $1", outbox_id)
