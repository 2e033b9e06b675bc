"""One push sender on its own, as a process a test can SIGKILL: `python -m
tests.bot.sender_process DATABASE_URL MAX_BASE_URL MAX_TOKEN`. The lease is the real one, so a
push that resumes quickly after a kill does so because its claim died with the session."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from bot.client import MaxClient
from bot.pacer import SharedPacer
from bot.sender import OutboxSender, SenderLimits
from bot.services import BotIdentity
from config.settings import DatabaseSettings
from storage.db import create_pool
from storage.media import LocalMediaStore

LIMITS = SenderLimits(poll_s=0.2, backoff_scale=0.02)


async def main(database_url: str, base_url: str, token: str) -> None:
    pool = await create_pool(database_url, DatabaseSettings(pool_min=1, pool_max=8))
    try:
        async with MaxClient(token, base_url=base_url, pacer=SharedPacer(pool)) as client:
            store = LocalMediaStore(Path("/nonexistent"))  # these pushes carry no photos
            me = await client.get_me()  # as the app does: pushes are looked for by their sender
            identity = BotIdentity(me.user_id, me.username or "bot", me.first_name)
            await OutboxSender(pool, client, LIMITS, store, identity).run()
    finally:
        await pool.close()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(*sys.argv[1:4]))
