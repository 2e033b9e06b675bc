"""Callback button payloads: compact and versioned, e.g. "1|rn|42".

The version lets a later release read (or politely refuse) buttons left in old chat messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from gallery.inputs import parse_id

VERSION = "1"
SEPARATOR = "|"


@dataclass(frozen=True)
class Payload:
    action: str
    args: tuple[str, ...]

    def int_arg(self, index: int = 0) -> int | None:
        try:
            value = self.args[index]
        except IndexError:
            return None
        return parse_id(value)


def encode(action: str, *args: object) -> str:
    return SEPARATOR.join([VERSION, action, *(str(a) for a in args)])


def decode(payload: str) -> Payload | None:
    """None for a payload of another version or shape: a stale button."""
    parts = payload.split(SEPARATOR)
    if len(parts) < 2 or parts[0] != VERSION:
        return None
    return Payload(parts[1], tuple(parts[2:]))
