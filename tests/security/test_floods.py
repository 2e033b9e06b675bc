"""A stranger cannot flood anyone's chat: one pending thing at a time to a person, withdrawals
that don't re-notify, no requests to private profiles, and a cap on what one person causes."""

from __future__ import annotations

import asyncpg
import pytest

from config.limits import Rate
from config.settings import Settings
from gallery.notices.limits import PUSHES_PER_SENDER_HOUR
from sandbox.runner import RunningSandbox
from tests.trades.conftest import Person, act, made, person, propose
from tests.webapp.helpers import ApiClient


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """These tests make more offers, transfers and requests in a minute than the abuse limits
    allow, to prove the push caps beneath them; tests/limits holds the abuse limits."""
    roomy = Rate(person=1000, address=1000)
    rules = {"trade": roomy, "transfer": roomy, "profile_request": roomy}
    return settings.model_copy(update={"limits": settings.limits.model_copy(update=rules)})


async def pushes_to(db: asyncpg.Connection, user_id: int) -> int:
    count: int = await db.fetchval("SELECT count(*) FROM outbox WHERE user_id = $1", user_id)
    return count


async def set_privacy(client: ApiClient, who: Person, privacy: str) -> None:
    response = await client.patch("/api/me", json={"privacy": privacy}, headers=who.headers)
    assert response.status == 200, await response.text()


async def test_ask_then_cancel_twenty_times_costs_the_target_two_pushes(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    await set_privacy(client, alice, "approved")
    before = await pushes_to(db, alice.id)
    for _ in range(20):
        asked = await client.post(
            "/api/profile-requests", json={"target_id": alice.id}, headers=bob.headers
        )
        assert asked.status == 201, await asked.text()
        request_id = (await asked.json())["id"]
        cancelled = await client.post(
            f"/api/profile-requests/{request_id}/cancel", headers=bob.headers
        )
        assert cancelled.status == 200
    # the first request and its withdrawal; the other rounds are in the inbox, silently
    assert await pushes_to(db, alice.id) - before == 2
    assert await db.fetchval("SELECT count(*) FROM profile_requests") == 20


async def test_propose_then_cancel_twenty_five_times_costs_the_recipient_two_pushes(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    before = await pushes_to(db, alice.id)
    for _ in range(25):
        trade = await made(client, bob, alice, [bob.objects[0]], [alice.objects[0]])
        assert (await act(client, bob, trade["id"], "cancel"))[0] == 200
    assert await pushes_to(db, alice.id) - before == 2


async def test_one_pending_direct_transfer_to_a_person_and_withdrawals_stay_quiet(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, alice: Person
) -> None:
    giver = await person(client, sandbox, db, "Giver", objects=10)
    statuses = []
    for object_id in giver.objects:
        response = await client.post(
            "/api/transfers", json={"object_id": object_id, "to_user_id": alice.id},
            headers=giver.headers,
        )  # fmt: skip
        statuses.append((response.status, (await response.json()).get("error")))
    assert statuses == [(201, None)] + [(409, "transfer_to_person_pending")] * 9
    assert await pushes_to(db, alice.id) == 1
    pending = await db.fetchval("SELECT id FROM transfers WHERE status = 'pending'")
    for round_number in range(5):  # cancel and hand over again, and again
        cancel = await client.post(f"/api/transfers/{pending}/cancel", headers=giver.headers)
        assert cancel.status == 200
        again = await client.post(
            "/api/transfers",
            json={"object_id": giver.objects[round_number], "to_user_id": alice.id},
            headers=giver.headers,
        )
        assert again.status == 201
        pending = (await again.json())["id"]
    # the first transfer and its withdrawal; the rest arrive silently
    assert await pushes_to(db, alice.id) == 2


async def test_requests_to_a_private_profile_are_refused_and_tell_nobody(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    await set_privacy(client, alice, "private")
    before = await pushes_to(db, alice.id)
    asked = await client.post(
        "/api/profile-requests", json={"target_id": alice.id}, headers=bob.headers
    )
    assert (asked.status, await asked.json()) == (409, {
        "error": "profile_private",
        "detail": "this collection is private; its owner does not take requests",
    })  # fmt: skip
    assert await db.fetchval("SELECT count(*) FROM profile_requests") == 0
    assert await pushes_to(db, alice.id) == before


async def test_what_one_person_causes_another_is_capped_per_hour(
    client: ApiClient, db: asyncpg.Connection, alice: Person, bob: Person
) -> None:
    """Bob proposes, Alice declines, thirty times: each side hears the other at most the cap."""
    for _ in range(PUSHES_PER_SENDER_HOUR + 10):
        status, trade = await propose(client, bob, alice, [bob.objects[0]], [])
        assert status == 201, trade
        assert (await act(client, alice, trade["id"], "decline"))[0] == 200
    assert await pushes_to(db, alice.id) == PUSHES_PER_SENDER_HOUR
    assert await pushes_to(db, bob.id) == PUSHES_PER_SENDER_HOUR
    assert await db.fetchval("SELECT count(*) FROM trades") == PUSHES_PER_SENDER_HOUR + 10
