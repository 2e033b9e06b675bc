"""Pushes: chat messages to a person, written to the outbox in the caller's transaction.

The rules (trades, transfers, profile requests) call `push` with a text key from bot/texts.py
and buttons; the person's language and chat come from their user row. A person the bot cannot
reach (403 earlier) gets nothing queued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot import keyboards
from bot.markup import message_body
from bot.texts import t
from bot.types import Button
from gallery.push_limits import Burst, may_push
from storage.db import Connection
from storage.models import Language
from storage.outbox import enqueue
from storage.users import get_user


@dataclass(frozen=True)
class Photo:
    """An image to attach: the sender uploads it to MAX once and reuses the token."""

    photo_id: int
    key: str


class AppIdentity(Protocol):
    """The bot whose mini-app a push's Open button opens."""

    def open_app_button(self, text: str, start_param: str | None = None) -> Button: ...


Buttons = list[list[Button]]
# rows of buttons, or a function of the recipient's language that makes them
ButtonsFor = Buttons | Callable[[Language], Buttons] | None


async def push(
    conn: Connection,
    to_user: int,
    text_key: str,
    *,
    values: dict[str, Any] | None = None,
    buttons: ButtonsFor = None,
    photo: Photo | None = None,
    dedupe_key: str | None = None,
    sender: int | None = None,
    burst: Burst | None = None,
) -> int | None:
    """Queue `text_key` (formatted in the person's language, `values` escaped) to `to_user`;
    the outbox id, or None when they are unknown, unreachable, `dedupe_key` was queued before,
    or `sender` (whose action it announces) has caused them enough pushes (push_limits)."""
    user = await get_user(conn, to_user)
    if user is None or not user.reachable:
        return None
    if sender is not None and not await may_push(conn, sender, to_user, burst):
        return None
    rows = buttons(user.language) if callable(buttons) else buttons
    attachments = [keyboards.inline_keyboard(rows)] if rows else None
    # people's text in `values` is escaped by t(); a Markup value is taken as already safe
    body = message_body(t(text_key, user.language, **(values or {})), attachments=attachments)
    payload: dict[str, Any] = {"message": body.model_dump(mode="json", exclude_none=True)}
    if photo is not None:
        payload["photo"] = {"photo_id": photo.photo_id, "key": photo.key}
    return await enqueue(
        conn,
        kind="send",
        body=payload,
        user_id=to_user,
        chat_id=user.dialog_chat_id,
        dedupe_key=dedupe_key,
        actor_id=sender,
    )
