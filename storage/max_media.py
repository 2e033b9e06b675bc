"""SQL for images already uploaded to MAX, reused by token instead of uploaded again."""

from __future__ import annotations

from storage.db import Connection


async def max_image_token(conn: Connection, photo_id: int) -> str | None:
    token: str | None = await conn.fetchval(
        "SELECT max_image_token FROM photos WHERE id = $1", photo_id
    )
    return token


async def remember_max_image_token(conn: Connection, photo_id: int, token: str) -> None:
    await conn.execute("UPDATE photos SET max_image_token = $2 WHERE id = $1", photo_id, token)
