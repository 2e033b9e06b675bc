"""QR transfers over the API: the token once, the owner's PNG, a preview that changes nothing,
one claim, and a clear refusal for everything else."""

from __future__ import annotations

import hashlib
import io

import asyncpg
import zxingcpp
from PIL import Image

from sandbox.runner import RunningSandbox
from tests.transfers.conftest import Person, call, claim, create, owner_of, pushes
from tests.webapp.helpers import ApiClient


async def test_create_returns_the_token_once_and_stores_only_its_hash(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection, anna: Person
) -> None:
    created = await create(client, anna)
    token = created["token"]
    bot = sandbox.state.config.bot_username
    assert created["kind"] == "qr"
    assert created["status"] == "pending"
    assert created["deep_link"] == f"https://max.ru/{bot}?start=t_{token}"
    assert created["app_link"] == f"https://max.ru/{bot}?startapp=t_{token}"
    assert created["qr_png_url"] == f"/api/transfers/{created['id']}/qr.png?token={token}"
    assert created["from"] == {"id": anna.id, "name": "Anna"}
    assert created["to"] is None
    row = await db.fetchrow("SELECT * FROM transfers")
    assert row is not None
    assert row["token_hash"] == hashlib.sha256(token.encode()).digest()
    assert row["object_version"] == 1
    ttl = (row["expires_at"] - row["created_at"]).total_seconds()
    assert 599 <= ttl <= 601
    dump = " ".join(str(v) for v in row.values())
    assert token not in dump
    assert token.encode() not in row["token_hash"]
    listed = await call(client, "GET", "/transfers?box=outgoing", anna)
    assert listed[0] == 200
    assert "token" not in listed[1]["items"][0]


async def test_the_owner_gets_the_qr_png_for_the_token_and_nobody_else_does(
    client: ApiClient, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    response = await client.get(created["qr_png_url"], headers=anna.headers)
    assert response.status == 200
    assert response.content_type == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    image = Image.open(io.BytesIO(await response.read()))
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [created["deep_link"]]

    refused = await client.get(created["qr_png_url"], headers=bob.headers)
    assert (refused.status, (await refused.json())["error"]) == (404, "transfer_not_found")
    wrong = f"/api/transfers/{created['id']}/qr.png?token={'A' * 32}"
    refused = await client.get(wrong, headers=anna.headers)
    assert (refused.status, (await refused.json())["error"]) == (404, "transfer_not_found")
    assert (await client.get(created["qr_png_url"])).status == 401


async def test_the_preview_shows_what_and_from_whom_and_changes_nothing(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    for _ in range(3):  # a link preview, a second scan: nothing is consumed
        status, preview = await call(client, "GET", f"/transfers/by-token/{created['token']}", bob)
        assert status == 200
    assert preview["id"] == created["id"]
    assert preview["status"] == "pending"
    assert preview["object"]["id"] == anna.objects[0]
    assert preview["object"]["title"] == "Anna's 1"
    assert preview["object"]["preview"].startswith("/media/")
    assert preview["from"] == {"id": anna.id, "name": "Anna"}
    assert await owner_of(db, anna.objects[0]) == anna.id
    assert await db.fetchval("SELECT status FROM transfers") == "pending"


async def test_claim_moves_the_object_and_tells_the_former_owner(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    status, claimed = await claim(client, bob, created["token"])
    assert status == 200, claimed
    assert claimed["status"] == "claimed"
    assert claimed["to"] == {"id": bob.id, "name": "Bob"}
    object_id = anna.objects[0]
    assert await owner_of(db, object_id) == bob.id
    history = await db.fetch(
        "SELECT from_user_id, to_user_id, reason, reference_id FROM ownership_history "
        "WHERE reason = 'transfer'"
    )
    assert [tuple(h) for h in history] == [(anna.id, bob.id, "transfer", created["id"])]
    row = await db.fetchrow("SELECT status, to_user_id, decided_at FROM transfers")
    assert row is not None
    assert (row["status"], row["to_user_id"]) == ("claimed", bob.id)
    assert row["decided_at"] is not None
    assert await pushes(db, anna.id) == ["«Anna's 1» now belongs to Bob."]


async def test_a_second_claim_and_a_second_preview_are_refused_clearly(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person, eve: Person
) -> None:
    created = await create(client, anna)
    assert (await claim(client, bob, created["token"]))[0] == 200
    status, refused = await claim(client, eve, created["token"])
    assert (status, refused["error"]) == (409, "transfer_claimed")
    assert (await claim(client, bob, created["token"]))[0] == 409
    status, refused = await call(client, "GET", f"/transfers/by-token/{created['token']}", eve)
    assert (status, refused["error"]) == (409, "transfer_claimed")
    assert await owner_of(db, anna.objects[0]) == bob.id


async def test_an_expired_token_is_refused_before_and_after_the_expiry_job(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    await db.execute("UPDATE transfers SET expires_at = now() - interval '1 second'")
    for _ in range(2):
        status, refused = await claim(client, bob, created["token"])
        assert (status, refused["error"]) == (410, "transfer_expired")
        preview = await call(client, "GET", f"/transfers/by-token/{created['token']}", bob)
        assert (preview[0], preview[1]["error"]) == (410, "transfer_expired")
        await db.execute("UPDATE transfers SET status = 'expired', decided_at = now()")
    assert await owner_of(db, anna.objects[0]) == anna.id


async def test_a_cancelled_token_is_refused_and_only_the_owner_cancels(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    cancel = f"/transfers/{created['id']}/cancel"
    status, refused = await call(client, "POST", cancel, bob)
    assert (status, refused["error"]) == (404, "transfer_not_found")
    status, cancelled = await call(client, "POST", cancel, anna)
    assert (status, cancelled["status"]) == (200, "cancelled")
    status, refused = await call(client, "POST", cancel, anna)
    assert (status, refused["error"]) == (410, "transfer_cancelled")
    status, refused = await claim(client, bob, created["token"])
    assert (status, refused["error"]) == (410, "transfer_cancelled")
    png = await client.get(created["qr_png_url"], headers=anna.headers)
    assert png.status == 410
    assert await owner_of(db, anna.objects[0]) == anna.id


async def test_the_owner_cannot_claim_their_own_transfer(
    client: ApiClient, db: asyncpg.Connection, anna: Person
) -> None:
    created = await create(client, anna)
    status, refused = await claim(client, anna, created["token"])
    assert (status, refused["error"]) == (409, "own_transfer")
    assert await db.fetchval("SELECT status FROM transfers") == "pending"


async def test_a_wrong_token_is_refused_without_saying_whether_it_ever_existed(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    created = await create(client, anna)
    real = created["token"]
    answers = set()
    for token in ("garbage", "x" * 32, real[:-1] + ("A" if real[-1] != "A" else "B"), "%00", ""):
        status, refused = await claim(client, bob, token)
        answers.add((status, refused["error"], refused["detail"]))
    for token in ("x" * 32, "garbage", "%2F%2E%2E"):
        status, refused = await call(client, "GET", f"/transfers/by-token/{token}", bob)
        answers.add((status, refused["error"], refused["detail"]))
    assert answers == {(404, "transfer_not_found", "this transfer link is not valid")}
    assert await db.fetchval("SELECT status FROM transfers") == "pending"


async def test_one_pending_transfer_per_object_unless_replaced(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    first = await create(client, anna)
    status, refused = await call(client, "POST", "/transfers", anna, {"object_id": anna.objects[0]})
    assert (status, refused["error"]) == (409, "transfer_pending")
    second = await create(client, anna, replace=True)
    statuses = await db.fetch("SELECT id, status FROM transfers ORDER BY id")
    assert [tuple(s) for s in statuses] == [(first["id"], "cancelled"), (second["id"], "pending")]
    assert (await claim(client, bob, first["token"]))[0] == 410
    assert (await claim(client, bob, second["token"]))[0] == 200


async def test_only_the_owner_creates_a_transfer(
    client: ApiClient, db: asyncpg.Connection, anna: Person, bob: Person
) -> None:
    status, refused = await call(client, "POST", "/transfers", bob, {"object_id": anna.objects[0]})
    assert (status, refused["error"]) == (403, "not_owner")
    status, refused = await call(client, "POST", "/transfers", anna, {"object_id": 10**12})
    assert (status, refused["error"]) == (404, "not_found")
    assert await db.fetchval("SELECT count(*) FROM transfers") == 0
