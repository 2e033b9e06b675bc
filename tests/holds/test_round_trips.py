"""The hold costs the accept and the claim no round trip: the move statement stamps
received_at itself (storage/ownership.py), and the hold is worked out from it on reading."""

from __future__ import annotations

import asyncpg
from asyncpg.connection import LoggedQuery

from gallery.trades.accept import accept_trade
from gallery.transfers.claims import claim_by_token
from tests.holds.conftest import api, received_at
from tests.trades.conftest import Person, made
from tests.webapp.helpers import ApiClient


class Statements:
    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, query: LoggedQuery) -> None:
        self.seen.append(" ".join(query.query.split())[:40])


async def test_an_accept_is_still_eight_round_trips_and_holds_both_sides(
    client: ApiClient, pool: asyncpg.Pool, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    statements = Statements()
    async with pool.acquire() as conn:
        first = await made(client, alice, bob, [alice.objects[1]], [bob.objects[1]])
        await accept_trade(conn, first["id"], bob.id, first["version"])  # reads the types once
        trade = await made(client, alice, bob, [alice.objects[0]], [bob.objects[0]])
        conn.add_query_logger(statements)
        try:
            await accept_trade(conn, trade["id"], bob.id, trade["version"])
        finally:
            conn.remove_query_logger(statements)
    assert len(statements.seen) == 8, statements.seen
    assert await received_at(db, alice.objects[0]) is not None
    assert await received_at(db, bob.objects[0]) is not None


async def test_a_claim_is_still_eleven_round_trips_and_holds_the_object(
    client: ApiClient, pool: asyncpg.Pool, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    tokens = []
    for object_id in alice.objects:
        status, created = await api(client, "POST", "/transfers", alice, {"object_id": object_id})
        assert status == 201, created
        tokens.append(created["token"])
    statements = Statements()
    async with pool.acquire() as conn:
        await claim_by_token(conn, bob.id, tokens[1])  # reads the types once
        conn.add_query_logger(statements)
        try:
            await claim_by_token(conn, bob.id, tokens[0])
        finally:
            conn.remove_query_logger(statements)
    assert len(statements.seen) == 11, statements.seen
    assert await received_at(db, alice.objects[0]) is not None
