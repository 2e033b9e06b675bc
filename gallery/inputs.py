"""What any surface may pass on from people and programs: ids that fit PostgreSQL's BIGINT, and
text that PostgreSQL can store.

A number past 2**63 - 1 or a NUL character reaches asyncpg as an error that no rule expects, so
each surface checks its input with these before it calls a rule: the API answers 400, the bot a
polite word.
"""

from __future__ import annotations

import re

from storage.errors import DomainError

# every id is a BIGINT, and every row's id starts at 1
ID_MAX = 2**63 - 1
# versions are INTEGER columns
VERSION_MAX = 2**31 - 1
_ID_DIGITS = re.compile(r"[0-9]{1,19}")
# C0 controls but tab, newline and carriage return (browsers send a textarea's newlines as
# CRLF in multipart forms), and lone surrogates, which no UTF-8 encoder accepts
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def parse_id(text: str) -> int | None:
    """The id written in `text` (ASCII digits only), or None when it could name no row."""
    if not _ID_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= ID_MAX else None


def unwanted_character(text: str) -> str | None:
    """The first control character (or lone surrogate) in `text`, as U+XXXX; None if clean."""
    found = _UNWANTED.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def control_message(character: str) -> str:
    return f"control characters such as {character} are not allowed (newlines and tabs are)"


def clean_name(text: str) -> str:
    """A person's name as MAX sent it, made storable and one line: a name is not input the
    person can retype, so it is cleaned rather than refused."""
    return " ".join(_UNWANTED.sub("", text).split())


def checked_text(text: str, *, code: str) -> str:
    """`text` unchanged, or DomainError(code) saying which character is not allowed."""
    character = unwanted_character(text)
    if character is not None:
        raise DomainError(control_message(character), code=code)
    return text
