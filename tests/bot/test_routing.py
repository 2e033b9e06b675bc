"""Routing: the dispatcher's index by update type follows routes added after it was built."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

from bot.context import Context
from bot.dispatcher import Dispatcher, Router


def arriving(update_type: str) -> Context:
    return cast(Context, SimpleNamespace(update=SimpleNamespace(update_type=update_type)))


async def first(ctx: Context) -> None:
    """A handler that is never run here: only which one is picked matters."""


async def second(ctx: Context) -> None:
    """Another."""


def test_a_route_added_to_an_included_router_after_the_first_update_is_found() -> None:
    dispatcher, outer, inner = Dispatcher(), Router("outer"), Router("inner")
    outer.include(inner)
    dispatcher.include(outer)
    outer.on("message_created")(first)
    assert dispatcher.resolve(arriving("message_created")) is first  # the index is built
    assert dispatcher.resolve(arriving("bot_started")) is None
    inner.on("bot_started")(second)  # two levels down, after the index was built
    assert dispatcher.resolve(arriving("bot_started")) is second
    inner.on("message_created", first=True)(second)  # still after outer's own routes
    assert dispatcher.resolve(arriving("message_created")) is first


def test_a_router_included_after_the_first_update_is_found() -> None:
    dispatcher, late = Dispatcher(), Router("late")
    assert dispatcher.resolve(arriving("message_created")) is None
    late.on("message_created")(first)
    dispatcher.include(late)
    assert dispatcher.resolve(arriving("message_created")) is first


def test_a_catch_all_serves_types_no_route_names() -> None:
    dispatcher, fallback = Dispatcher(), Router("fallback")
    dispatcher.include(fallback)
    dispatcher.on("message_created")(first)
    assert dispatcher.resolve(arriving("message_edited")) is None
    fallback.any()(second)
    assert dispatcher.resolve(arriving("message_edited")) is second
    assert dispatcher.resolve(arriving("message_created")) is first
