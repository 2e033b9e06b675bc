"""Voiding trades and transfers whose objects changed after they were made, and telling people.

What a person accepts is exactly what they were shown: when an object named by a pending trade
or transfer moves, is deleted, is renamed, or is hidden from one side by privacy, the trade or
transfer is voided in the same transaction as the change, and both people hear why.
"""

from __future__ import annotations

from typing import Literal

from gallery.notices import notify
from gallery.notices.kinds import Voided
from storage import ownership, trade_views
from storage.db import Connection
from storage.ownership import Invalidated, VoidReason


async def tell_voided(
    conn: Connection, voided: list[Invalidated], actor: int | None = None,
    skip: int | None = None,
) -> None:  # fmt: skip
    """Both people of every voided trade or transfer hear it is void, and why (but `skip`: a
    banned person). The dedupe key is per trade and person, so whichever rule voids a trade,
    each person hears it once."""
    people = await trade_views.names(conn, sorted({u for v in voided for u in v.user_ids}))
    for void in voided:
        what: Literal["trade", "transfer"] = "trade" if void.kind == "trade" else "transfer"
        for n, to_user in enumerate(void.user_ids):
            if to_user == skip:
                continue
            other = void.user_ids[1 - n] if len(void.user_ids) == 2 else to_user
            notice = Voided(what=what, reason=void.reason, other_name=people.get(other, "—"),
                            title=void.title or "")  # fmt: skip
            await notify(conn, to_user, notice, sender=actor,
                         dedupe_key=f"{void.kind}:{void.id}:void:{to_user}")  # fmt: skip


async def void_naming(
    conn: Connection, object_ids: list[int], why: VoidReason, actor: int
) -> list[Invalidated]:
    """Void every pending trade and transfer naming the objects (the caller holds their locks);
    `actor` is who changed them."""
    voided = await ownership.invalidate_naming(conn, object_ids, why=why)
    await tell_voided(conn, voided, actor)
    return voided


async def void_hidden(conn: Connection, user_id: int) -> list[Invalidated]:
    """After `user_id` changed who may see their collection (under the exclusive visibility
    lock): void their pending trades with an object one side may no longer see."""
    voided = await ownership.invalidate_hidden(conn, user_id)
    await tell_voided(conn, voided, user_id)
    return voided
