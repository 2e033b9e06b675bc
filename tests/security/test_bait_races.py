"""Bait and switch under races: whichever commit lands first, what is accepted is what was shown.

A delete racing ten accepts, strangers proposing while the owner flips privacy, and the one
interleaving that race hopes for, forced: each ends one way, and no pending trade names an object
hidden from one of its people.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import asyncpg

from config.settings import Settings
from gallery.profiles.privacy import change_privacy
from gallery.trades.proposals import write_trade
from gallery.trades.rules import TradeDraft
from sandbox.runner import RunningSandbox
from storage.ownership import HIDDEN_LINE
from tests.security.conftest import insert_object
from tests.trades.conftest import Person, accept, made, owners, person, statuses
from tests.webapp.helpers import ApiClient


async def test_a_delete_racing_accepts_ends_one_way(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person
) -> None:
    mallory = await person(client, sandbox, db, "Mallory", objects=0)
    outcomes: Counter[str] = Counter()
    for round_number in range(8):
        bait = await insert_object(db, mallory.id, f"Bait {round_number}")
        wanted = await insert_object(db, alice.id, f"Wanted {round_number}")
        trade = await made(client, mallory, alice, [bait], [wanted])
        async def delete_bait(bait: int = bait) -> int:
            response = await client.delete(f"/api/objects/{bait}", headers=mallory.headers)
            return response.status

        accepted, deleted = await asyncio.gather(
            asyncio.gather(*(accept(client, alice, trade) for _ in range(10))), delete_bait()
        )
        wins = [status for status, _ in accepted if status == 200]
        final = (await statuses(db))[trade["id"]]
        if final == "accepted":  # the accept came first: the bait is Alice's, and stays
            assert (len(wins), deleted) == (1, 409)
            assert (await owners(db))[bait] == alice.id
        else:  # the delete came first: nothing moved
            assert (final, wins, deleted) == ("invalidated", [], 204)
            assert (await owners(db))[wanted] == alice.id
        outcomes[final] += 1
    assert sum(outcomes.values()) == 8


async def test_trades_racing_a_privacy_change_never_name_what_one_side_cannot_see(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, bob: Person
) -> None:
    """Strangers propose trades for Bob's objects while Bob flips between public and private:
    whatever order the commits land in, no pending trade is left naming an object hidden from a
    party."""
    strangers = [await person(client, sandbox, db, f"S{n}", objects=1) for n in range(6)]

    async def flip() -> None:
        for privacy in ("public", "private") * 4:  # ends private
            await client.patch("/api/me", json={"privacy": privacy}, headers=bob.headers)

    async def propose_from(stranger: Person) -> None:
        for target in bob.objects * 2:
            body = {"recipient_id": bob.id, "give": stranger.objects, "take": [target]}
            response = await client.post("/api/trades", json=body, headers=stranger.headers)
            assert response.status in (201, 404, 409), await response.text()

    await asyncio.gather(flip(), *(propose_from(s) for s in strangers))
    hidden = await db.fetchval(
        f"SELECT count(*) FROM trades t WHERE t.status = 'pending' AND {HIDDEN_LINE}"  # noqa: S608
    )
    assert hidden == 0
    assert await db.fetchval("SELECT count(*) FROM trades WHERE status = 'pending'") == 0


async def test_a_privacy_change_waits_for_a_trade_checked_under_the_old_one(
    pool: asyncpg.Pool, settings: Settings, alice: Person, bob: Person
) -> None:
    """The interleaving the race above hopes to hit, forced: a trade is checked and written
    (not yet committed) while Bob was public; Bob going private must wait for it, then void it."""
    draft = TradeDraft(bob.id, give=[alice.objects[0]], take=[bob.objects[0]])
    async with pool.acquire() as proposing, pool.acquire() as changing:
        transaction = proposing.transaction()
        await transaction.start()
        trade, _ = await write_trade(proposing, settings.rules, alice.id, draft)
        going_private = asyncio.create_task(change_privacy(changing, bob.id, "private"))
        await asyncio.sleep(0.3)
        assert not going_private.done()  # it waits for the trade's visibility lock
        await transaction.commit()
        await asyncio.wait_for(going_private, 5)
        status = await proposing.fetchval("SELECT status FROM trades WHERE id = $1", trade.id)
    assert status == "invalidated"
