"""An object's deep links: `?startapp=o_<id>` opens it in the mini-app, `?start=o_<id>` shows
its card in the chat with the bot (docs/max-platform.md, Deep links)."""

from __future__ import annotations

from dataclasses import dataclass

from gallery.inputs import parse_id

OBJECT_PREFIX = "o_"


@dataclass(frozen=True)
class ObjectLinks:
    chat_link: str
    app_link: str


def object_links(bot_username: str, object_id: int) -> ObjectLinks:
    payload = f"{OBJECT_PREFIX}{object_id}"
    base = f"https://max.ru/{bot_username}"
    return ObjectLinks(chat_link=f"{base}?start={payload}", app_link=f"{base}?startapp={payload}")


def object_id_in(payload: str | None) -> int | None:
    """The id in an `o_<id>` payload; None for anything else (`o_abc`, `o_-1`, past BIGINT)."""
    if not payload or not payload.startswith(OBJECT_PREFIX):
        return None
    return parse_id(payload[len(OBJECT_PREFIX) :])
