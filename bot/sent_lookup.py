"""Was this push already delivered? Asked before sending again a message whose earlier attempt
got no answer (its sender died, or MAX's answer never came back): MAX has no idempotency key, so
the chat itself is the only record.

The bot's messages to one chat are sent in order, one at a time (storage/outbox.py, CLAIM), so a
message of the bot's in that chat newer than the last one the outbox knows it delivered there,
with the same words, is this push. That boundary is exact: a claim is not proof the call ever
left (its sender may have died first), and an identical earlier message sent a moment before
must not be taken for it (a lost push). Where no message was delivered before, the attempt's
time bounds the search. MAX stores the text without its HTML (docs/max-platform.md,
formatting), so the words are compared, not the markup.
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
    client: MaxClient,
    bot_user_id: int,
    chat_id: int,
    html_text: str,
    *,
    after_mid: str | None,
    since: datetime,
) -> str | None:
    """The mid of the bot's message in `chat_id` with `html_text`'s words, newer than the
    delivered message `after_mid` (or, with none, sent since `since`)."""
    wanted = words(plain_text(html_text))
    since_ms = since.timestamp() * 1000 - CLOCK_SKEW_MS
    for message in await client.get_messages(chat_id=chat_id, count=LOOKBACK):
        if message.body is not None and message.body.mid == after_mid:
            break  # newest first: the rest were there before this push
        if after_mid is None and message.timestamp < since_ms:
            break
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
