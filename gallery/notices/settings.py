"""Which pushes a person wants: one switch per category of notice, on or off.

Off means the push is not queued at all (the statement that queues it reads the switch,
storage/outbox_queue.py); what it announced is still where it lives: trades, transfers and
access requests in the mini-app's inbox (built from those tables, not from the outbox), a
hidden object's notice on its own page.

What no switch silences: `banned` and `unbanned`. A banned person's mini-app refuses them and
the bot answers nothing else, so the push is the one place they learn that, and why; the
lifting of a ban is the only way they learn they may come back. A notice of a kind added later
and not listed here is sent whatever the switches say, until it is given a category.
"""

from __future__ import annotations

from typing import Literal

from gallery.notices.kinds import Notice, Voided
from storage import notification_settings
from storage.db import Connection
from storage.notification_settings import NotificationSwitches

Category = Literal["trades", "transfers", "requests", "favorites", "moderation"]
CATEGORIES: tuple[Category, ...] = ("trades", "transfers", "requests", "favorites", "moderation")
# "favourited your object" pushes are news some want and many find noise: off until asked for
DEFAULTS = NotificationSwitches(
    trades=True, transfers=True, requests=True, favorites=False, moderation=True
)
CATEGORY_OF_KIND: dict[str, Category] = {
    "trade_proposed": "trades",
    "trade_decided": "trades",
    "transfer_offered": "transfers",
    "transfer_decided": "transfers",
    "access_requested": "requests",
    "access_decided": "requests",
    "object_favorited": "favorites",
    # the operators' report summaries, and an owner's object hidden or shown again
    "reports_waiting": "moderation",
    "object_hidden": "moderation",
    "object_restored": "moderation",
}


def category_of(notice: Notice) -> Category | None:
    """The switch that may silence `notice`; None for one that is always sent."""
    if isinstance(notice, Voided):
        return "trades" if notice.what == "trade" else "transfers"
    return CATEGORY_OF_KIND.get(notice.kind)


def is_on_by_default(category: Category | None) -> bool:
    return category is None or bool(getattr(DEFAULTS, category))


async def switches(conn: Connection, user_id: int) -> NotificationSwitches:
    """The person's switches (the defaults until they change one)."""
    return await notification_settings.get_switches(conn, user_id) or DEFAULTS


async def change_switches(
    conn: Connection, user_id: int, changes: dict[Category, bool]
) -> NotificationSwitches:
    """Turn the named switches on or off; the others stay as they are."""
    wanted = {str(category): on for category, on in changes.items()}
    return await notification_settings.set_switches(conn, user_id, wanted, DEFAULTS)
