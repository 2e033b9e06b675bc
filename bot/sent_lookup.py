"""Was this push already delivered? Asked before sending again a message whose earlier attempt
got no answer (its sender died, or MAX's answer never came back): MAX has no idempotency key, so
the chat itself is the only record.

The bot's messages to one chat are sent in order, one at a time (storage/outbox.py, CLAIM), so a
message of the bot's in that chat stamped after the unanswered attempt began, with the same
words, is this push. MAX stores the text without its HTML (docs/max-platform.md, formatting), so
the words are compared, not the markup.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser

from bot.client import MaxClient
from bot.types import Message

# MAX's clock against the database's: a message stamped this much before the attempt still counts
CLOCK_SKEW_MS = 1500
# how far back to look; pushes to one chat are paced at 2/s, so an hour-old attempt is far back
LOOKBACK = 50


async def find_sent(
    client: MaxClient, bot_user_id: int, chat_id: int, html_text: str, since: datetime
) -> str | None:
    """The mid of the bot's message in `chat_id` sent since `since` with `html_text`'s words."""
    wanted = words(plain_text(html_text))
    since_ms = since.timestamp() * 1000 - CLOCK_SKEW_MS
    for message in await client.get_messages(chat_id=chat_id, count=LOOKBACK):
        if message.timestamp < since_ms:
            break  # newest first: the rest are older
        if _is_match(message, bot_user_id, wanted):
            assert message.body is not None
            return message.body.mid
    return None


def _is_match(message: Message, bot_user_id: int, wanted: str) -> bool:
    if message.sender is None or message.sender.user_id != bot_user_id or message.body is None:
        return False
    return words(message.body.text or "") == wanted


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html_text: str) -> str:
    parser = _Text()
    parser.feed(html_text)
    parser.close()
    return "".join(parser.parts)
