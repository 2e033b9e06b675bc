"""An accept's cost in round trips: every statement waits on the database, so their number is
most of an accept's time under load (issue 15's profile: half of the app's samples)."""

from __future__ import annotations

import asyncpg
from asyncpg.connection import LoggedQuery

from gallery.trades.accept import accept_trade
from tests.trades.conftest import Person, made, owners, pushes
from tests.webapp.helpers import ApiClient


async def test_an_accept_is_eight_round_trips(
    client: ApiClient, pool: asyncpg.Pool, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    statements: list[str] = []

    def record(query: LoggedQuery) -> None:
        statements.append(" ".join(query.query.split())[:40])

    async with pool.acquire() as conn:
        # the first accept on a connection also reads the types its statements use
        first = await made(client, alice, bob, [alice.objects[1]], [bob.objects[1]])
        await accept_trade(conn, first["id"], bob.id, first["version"])
        trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
        conn.add_query_logger(record)
        try:
            view = await accept_trade(conn, trade["id"], bob.id, trade["version"])
        finally:
            conn.remove_query_logger(record)
    assert view.trade.status == "accepted"
    # BEGIN, generic plans for this transaction only (storage/trades.py), the trade as shown,
    # the locks with the visibility check, the trade decided, the moves with history and the
    # voiding, the push, COMMIT
    assert len(statements) == 8, statements
    assert (statements[0], statements[-1]) == ("BEGIN;", "COMMIT;")
    assert await owners(db) == {alice.objects[0]: bob.id, alice.objects[1]: bob.id,
                                bob.objects[0]: alice.id, bob.objects[1]: alice.id}  # fmt: skip
    assert (await pushes(db))[-1] == (
        alice.id, "Bob accepted your trade: you gave «Alice 1» and got «Bob 1»."
    )  # fmt: skip
