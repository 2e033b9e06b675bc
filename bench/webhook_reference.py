"""The reference for bench/webhook.py: a bare aiohttp + asyncpg server doing the minimum a webhook
must — the secret compared in constant time, the JSON parsed, the update's idempotency key
inserted and one reply row written to the outbox, in one transaction — and nothing else.
bench/webhook.py starts it in a process of its own, on a database the app's migrations made:

    python bench/webhook_reference.py DATABASE_URL PORT SECRET
"""

from __future__ import annotations

import hmac
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import orjson
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.webhook import SECRET_HEADER
from server.cli import new_event_loop

POOL = web.AppKey("pool", asyncpg.Pool)
CLAIM = (
    "INSERT INTO processed_updates (key, update_type) VALUES ($1, $2) "
    "ON CONFLICT (key) DO NOTHING RETURNING TRUE"
)
REPLY = "INSERT INTO outbox (chat_id, kind, body) VALUES ($1, 'send', $2::jsonb)"
OK = b'{"ok":true}'
REPLY_BODY = orjson.dumps({"message": {"text": "Send me a photo to start your gallery."}}).decode()


def reference_app(database_url: str, secret: str) -> web.Application:
    expected = secret.encode()

    async def webhook(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), expected):
            return web.Response(status=401)
        update = orjson.loads(await request.read())
        message = update["message"]
        async with request.app[POOL].acquire() as conn, conn.transaction():
            if await conn.fetchval(CLAIM, message["body"]["mid"], update["update_type"]):
                await conn.execute(REPLY, message["recipient"]["chat_id"], REPLY_BODY)
        return web.Response(body=OK, content_type="application/json")

    async def pool_ctx(app: web.Application) -> AsyncIterator[None]:
        async with asyncpg.create_pool(database_url, min_size=2, max_size=10) as pool:
            app[POOL] = pool
            yield

    app = web.Application()
    app.cleanup_ctx.append(pool_ctx)
    app.router.add_post("/max/webhook", webhook)
    return app


if __name__ == "__main__":
    web.run_app(
        reference_app(sys.argv[1], sys.argv[3]),
        host="127.0.0.1",
        port=int(sys.argv[2]),
        loop=new_event_loop(),
        print=None,
        access_log=None,
    )
