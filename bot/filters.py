"""Filters: predicates over a handler context. A command filter also leaves its arguments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.context import Context
from bot.payloads import decode
from bot.types import ImageAttachment, MessageCreatedUpdate

Filter = Callable[[Context], bool]


@dataclass(frozen=True)
class Command:
    """`/name args` (or `/name@bot args`); the arguments land in ctx.args."""

    names: tuple[str, ...]

    def __init__(self, *names: str) -> None:
        object.__setattr__(self, "names", tuple(n.lower() for n in names))

    def __call__(self, ctx: Context) -> bool:
        command = ctx.command
        if command is None or command[0] not in self.names:
            return False
        ctx.args = command[1]
        return True


def has_text(ctx: Context) -> bool:
    return bool(ctx.text.strip())


def has_image(ctx: Context) -> bool:
    update = ctx.update
    return isinstance(update, MessageCreatedUpdate) and any(
        isinstance(a, ImageAttachment) for a in update.message.attachments
    )


def payload_prefix(prefix: str) -> Filter:
    """A button payload (callback) or deep-link payload (bot_started) starting with `prefix`."""
    return lambda ctx: (ctx.callback_payload or ctx.start_payload or "").startswith(prefix)


def callback_action(*actions: str) -> Filter:
    """A button press whose versioned payload (bot.payloads) names one of `actions`."""
    wanted = set(actions)

    def matches(ctx: Context) -> bool:
        payload = decode(ctx.callback_payload)
        return payload is not None and payload.action in wanted

    return matches


def no_start_payload(ctx: Context) -> bool:
    return not ctx.start_payload
