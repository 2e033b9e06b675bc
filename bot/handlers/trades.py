"""Accept and Decline on a trade's push: the same gallery functions as the API.

The answer replaces the pushed message with the outcome and no buttons, so a second press finds
nothing to press; a press on a trade that changed since (a stale version) or is closed says the
trade is no longer valid and changes nothing.
"""

from __future__ import annotations

from bot import holds
from bot.context import Context
from bot.dispatcher import Router
from bot.filters import callback_action
from bot.markup import Markup, join_lines, message_body
from bot.payloads import decode
from bot.texts import label, t
from gallery.trades.accept import accept_trade
from gallery.trades.closing import decline_trade
from gallery.trades.view import show_trade
from storage.errors import DomainError
from storage.trade_views import TradeView

router = Router("trades")


def _pressed(ctx: Context) -> tuple[int, int] | None:
    payload = decode(ctx.callback_payload)
    if payload is None:
        return None
    trade_id, version = payload.int_arg(0), payload.int_arg(1)
    return None if trade_id is None or version is None else (trade_id, version)


def _titles(view: TradeView, side: str) -> str:
    return ", ".join(f"«{i.title}»" for i in view.items if i.side == side) or "—"


async def _replace(ctx: Context, toast_key: str, text: Markup) -> None:
    body = message_body(text, attachments=[])
    await ctx.answer(notification=label(toast_key, ctx.user.language), message=body)


async def _no_longer_valid(ctx: Context) -> None:
    await _replace(ctx, "trade.toast.stale", t("trade.done.stale", ctx.user.language))


async def _outcome(ctx: Context, trade_id: int, toast_key: str, text_key: str) -> None:
    view = await show_trade(ctx.conn, trade_id, ctx.user.id)
    text = t(
        text_key,
        ctx.user.language,
        name=view.names.get(view.trade.proposer_id, "—"),
        give=_titles(view, "take"),
        take=_titles(view, "give"),
    )
    hold = holds.received_line(ctx.user.language, ctx.services.settings.rules.hold_hours)
    if view.trade.status == "accepted" and hold is not None:
        text = join_lines([text, hold])
    await _replace(ctx, toast_key, text)


@router.callback(callback_action("ta"))
async def accept_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    try:
        if pressed is None:
            raise DomainError("not a trade button")
        await accept_trade(ctx.conn, pressed[0], ctx.user.id, pressed[1])
    except DomainError:
        await _no_longer_valid(ctx)
        return
    await _outcome(ctx, pressed[0], "trade.toast.accepted", "trade.done.accepted")


@router.callback(callback_action("td"))
async def decline_pressed(ctx: Context) -> None:
    pressed = _pressed(ctx)
    try:
        if pressed is None:
            raise DomainError("not a trade button")
        await decline_trade(ctx.conn, pressed[0], ctx.user.id, pressed[1])
    except DomainError:
        await _no_longer_valid(ctx)
        return
    await _outcome(ctx, pressed[0], "trade.toast.declined", "trade.done.declined")
