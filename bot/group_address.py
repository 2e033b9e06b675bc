"""Whether a group chat message speaks to the bot: `/cmd`, `/cmd@bot`, or a mention of the bot
(`@bot ...` typed, or a user_mention element naming it). Anything else there is chatter."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.texts import COMMANDS
from bot.types import MarkupElement

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@(\S+))?(?:\s+(.*))?$", re.DOTALL)
_WORD = re.compile(r"^([A-Za-z0-9_]{1,64})(?:\s+(.*))?$", re.DOTALL)


# answered in a group itself; the other known commands get a pointer to the personal chat
GROUP_COMMANDS = frozenset({"add", "my", "gallery", "start", "help"})
KNOWN_COMMANDS = GROUP_COMMANDS | frozenset(COMMANDS) | {"reports", "privacy", "requests"}


@dataclass(frozen=True)
class Addressed:
    """`command` lower-cased (None for a bare mention); `slash` when typed as /command, whose
    unknown names are ignored, where a mention's unknown word still gets an answer."""

    command: str | None
    args: str
    slash: bool

    @property
    def answered(self) -> bool:
        """An unknown /command is left alone (it may be another bot's); a mention never is."""
        return not self.slash or self.command in KNOWN_COMMANDS


def addressed(
    text: str | None, markup: list[MarkupElement] | None, username: str, bot_id: int
) -> Addressed | None:
    text = (text or "").strip()
    command = _slash_command(text, username)
    if command is not None or text.startswith("/"):
        return command
    rest = _without_mention(text, markup or [], username, bot_id)
    if rest is None:
        return None
    if rest.startswith("/"):
        return _slash_command(rest, username)
    word = _WORD.match(rest)
    if word is None:
        return Addressed(None, rest, slash=False)
    return Addressed(word.group(1).lower(), (word.group(2) or "").strip(), slash=False)


def _slash_command(text: str, username: str) -> Addressed | None:
    match = _COMMAND.match(text)
    if match is None:
        return None
    target = match.group(2)
    if target is not None and target.lower() != username.lower():
        return None  # another bot's command
    return Addressed(match.group(1).lower(), (match.group(3) or "").strip(), slash=True)


def _without_mention(
    text: str, markup: list[MarkupElement], username: str, bot_id: int
) -> str | None:
    """The text with the bot's mention taken out; None when the bot is not mentioned."""
    for element in markup:
        if element.type == "user_mention" and element.user_id == bot_id:
            start, stop = (
                _py_index(text, element.from_),
                _py_index(text, element.from_ + element.length),
            )
            return (text[:start] + text[stop:]).strip()
    typed = re.search(rf"(?<![\w@])@{re.escape(username)}(?![\w])", text, re.IGNORECASE)
    if typed is None:
        return None
    return (text[: typed.start()] + text[typed.end() :]).strip()


def _py_index(text: str, utf16_offset: int) -> int:
    """MAX counts markup offsets in UTF-16 code units; Python strings count code points."""
    units = 0
    for index, char in enumerate(text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)
