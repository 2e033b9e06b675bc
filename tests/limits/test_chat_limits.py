"""In the chat: photos and commands per minute. A burst past the limit gets exactly one polite
message, and what is past the limit is not processed."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from sandbox.runner import RunningSandbox
from tests.bot.helpers import settle
from tests.bot.test_photos_chat import jpeg, new_user
from tests.webapp.helpers import ApiClient

SLOW_DOWN_PHOTOS = ("That is a lot of photos in one minute, so I did not add these. Please "
                    "wait {} s and send them again.")  # fmt: skip
SLOW_DOWN = "That is a lot of messages in a row. Please wait {} s; until then I am skipping them."


def slow_downs(texts: list[str], template: str) -> list[str]:
    prefix = template.split("{}")[0]
    found = [text for text in texts if text.startswith(prefix)]
    for text in found:
        seconds = int(text[len(prefix):].split()[0])
        assert 1 <= seconds <= 60
        assert text == template.format(seconds)
    return found


@pytest.mark.parametrize("limits_overrides", [{"chat_photos_per_minute": 2}])
async def test_a_burst_of_photos(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    await asyncio.gather(*(sandbox.control.send_photos(user_id, [jpeg(seed)])
                           for seed in range(6)))  # fmt: skip
    texts = [message["text"] for message in await settle(sandbox.control, user_id, 1.5)]
    assert len(slow_downs(texts, SLOW_DOWN_PHOTOS)) == 1
    assert sum(text.endswith("is now your art object.") for text in texts) == 2
    assert len(texts) == 3
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 2


@pytest.mark.parametrize("limits_overrides", [{"chat_photos_per_minute": 2}])
async def test_one_message_with_more_photos_than_the_limit(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    await sandbox.control.send_photos(user_id, [jpeg(1), jpeg(2), jpeg(3)])
    texts = [message["text"] for message in await settle(sandbox.control, user_id, 1.0)]
    assert len(slow_downs(texts, SLOW_DOWN_PHOTOS)) == 1
    assert len(texts) == 1
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0


@pytest.mark.parametrize("limits_overrides", [{"chat_commands_per_minute": 2}])
async def test_a_burst_of_commands(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    user_id = await new_user(sandbox)
    for _ in range(6):
        await sandbox.control.send_text(user_id, "/help")
    texts = [message["text"] for message in await settle(sandbox.control, user_id, 1.0)]
    assert len(slow_downs(texts, SLOW_DOWN)) == 1
    assert sum(text.startswith("What I can do") for text in texts) == 2
    assert len(texts) == 3
    # another person is not held back
    other = await new_user(sandbox, "Carol")
    await sandbox.control.send_text(other, "/help")
    assert [m["text"][:13] for m in await settle(sandbox.control, other)] == ["What I can do"]
