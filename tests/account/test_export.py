"""Exports: what the zip holds, the signed link, the chat file, the cap, the rate limit, and
builders racing for one export."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from urllib.parse import urlsplit

import asyncpg
import pytest
from aiohttp import ClientSession

from config.account import AccountSettings
from gallery.account import links
from gallery.account.exports import build_due, build_one
from sandbox.runner import RunningSandbox
from server.keys import DB_POOL, MEDIA_STORE, SETTINGS
from storage.exports import claim_next
from tests.account.conftest import ask_export, link_of, read_zip, uploaded, wait_ready
from tests.bot.helpers import buttons, wait_for_bot_messages
from tests.profiles.conftest import ask, set_privacy
from tests.webapp.helpers import ApiClient, login


def export_files(client: ApiClient) -> list[str]:
    folder = client.app[SETTINGS].media.root / "exports"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


async def test_export_zip_holds_my_data_and_original_photos(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    other = await login(client, sandbox, first_name="Sam", language_code="en")
    first = await uploaded(client, me, "Harbour", 1)
    second = await uploaded(client, me, "Lighthouse", 2)
    theirs = await uploaded(client, other, "Boat", 3)
    response = await client.put(f"/api/objects/{theirs}/favorite", headers=me.headers)
    assert response.status == 200, await response.text()
    response = await client.post(
        "/api/trades",
        headers=me.headers,
        json={"recipient_id": other.user_id, "give": [first], "take": [theirs], "message": "swap?"},
    )
    assert response.status == 201, await response.text()
    response = await client.post(
        "/api/transfers",
        headers=me.headers,
        json={"object_id": second, "to_user_id": other.user_id},
    )
    assert response.status == 201, await response.text()
    guarded = await login(client, sandbox, first_name="Gus", language_code="en")
    await set_privacy(client, guarded, "approved")
    await ask(client, me, guarded)

    status, queued = await ask_export(client, me)
    assert status == 202, queued
    assert (queued["state"], queued["deliver"]) == ("queued", "link")
    ready = await wait_ready(client, me)
    assert ready["state"] == "ready"
    assert ready["failure"] is None
    status, link = await link_of(client, me, ready["id"])
    assert status == 200, link
    assert link["file_name"].startswith("gallery-export-")
    assert link["file_name"].endswith(".zip")
    url = urlsplit(link["url"])
    response = await client.get(f"{url.path}?{url.query}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Cache-Control"] == "private, no-store"
    data = await response.read()
    assert len(data) == ready["byte_size"]
    document, photos = read_zip(data)

    assert document["format"] == "max-photo-gallery-export/1"
    assert document["user_id"] == me.user_id
    assert document["profile"]["first_name"] == "Olga"
    assert [o["title"] for o in document["objects"]] == ["Harbour", "Lighthouse"]
    for entry in document["objects"]:
        assert entry["creator_id"] == me.user_id
        assert [(h["from_user_id"], h["to_user_id"], h["reason"]) for h in entry["history"]] == [
            (None, me.user_id, "created")
        ]
    assert [f["object_id"] for f in document["favorites"]] == [theirs]
    [trade] = document["trades"]
    assert (trade["role"], trade["status"], trade["message"]) == ("proposer", "pending", "swap?")
    assert sorted((i["side"], i["title"]) for i in trade["items"]) == [
        ("give", "Harbour"),
        ("take", "Boat"),
    ]
    [transfer] = document["transfers"]
    assert (transfer["role"], transfer["title"], transfer["to_user_id"]) == (
        "giver",
        "Lighthouse",
        other.user_id,
    )
    [request] = document["profile_requests"]
    assert (request["role"], request["target_id"], request["status"]) == (
        "requester",
        guarded.user_id,
        "pending",
    )
    # the originals, byte for byte as the store keeps them; only my own objects' photos
    assert sorted(photos) == [f"photos/{first}.jpeg", f"photos/{second}.jpeg"]
    store = client.app[MEDIA_STORE]
    for entry in document["objects"]:
        key = await db.fetchval(
            "SELECT p.original_key FROM photos p JOIN art_objects o ON o.photo_id = p.id"
            " WHERE o.id = $1",
            entry["id"],
        )
        assert photos[entry["photo_file"]] == await store.get(key)


async def test_link_is_the_owners_only_and_expires(
    client: ApiClient, sandbox: RunningSandbox
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    stranger = await login(client, sandbox, first_name="Sam", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    await ask_export(client, me)
    ready = await wait_ready(client, me)
    status, refused = await link_of(client, stranger, ready["id"])
    assert (status, refused["error"]) == (404, "export_not_found")
    status, link = await link_of(client, me, ready["id"])
    url = urlsplit(link["url"])
    path, query = url.path, dict(p.split("=") for p in url.query.split("&"))
    assert (await client.get(f"{path}?{url.query}")).status == 200
    tampered = [
        f"expires={int(query['expires']) + 60}&sig={query['sig']}",  # a longer life
        f"expires={query['expires']}&sig={'0' * 64}",  # a guessed signature
    ]
    for bad in tampered:
        response = await client.get(f"{path}?{bad}")
        assert (response.status, (await response.json())["error"]) == (403, "link_invalid")
    # signed for another export id: the signature names the export
    response = await client.get(f"/api/account/exports/{ready['id'] + 1}/download?{url.query}")
    assert response.status == 403
    # a correctly signed link whose time is over
    key = links.link_key(client.app["web"].settings.derived_key("media")) if False else None
    del key
    response = await client.get(f"{path}?expires=1000&sig={query['sig']}")
    assert (response.status, (await response.json())["error"]) == (403, "link_invalid")
    assert (await response.json())["detail"] == "this download link has expired; ask for a new one"
    response = await client.get(f"{path}?expires=x&sig=y")
    assert response.status == 400


async def test_expired_export_is_swept_with_its_file(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    from gallery.account.exports import sweep_exports

    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    await ask_export(client, me)
    ready = await wait_ready(client, me)
    key = await db.fetchval("SELECT media_key FROM account_exports WHERE id = $1", ready["id"])
    store = client.app[MEDIA_STORE]
    assert await store.head(key) is not None
    _status, link = await link_of(client, me, ready["id"])
    await db.execute("UPDATE account_exports SET expires_at = now() - interval '1 second'")
    url = urlsplit(link["url"])
    response = await client.get(f"{url.path}?{url.query}")
    assert (response.status, (await response.json())["error"]) == (404, "export_not_ready")
    assert await sweep_exports(client.app[DB_POOL], store) == 1
    assert await store.head(key) is None
    assert await db.fetchval("SELECT count(*) FROM account_exports") == 0


async def test_one_export_an_hour(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    answers = await asyncio.gather(*(ask_export(client, me) for _ in range(5)))
    assert sorted(status for status, _ in answers) == [202, 429, 429, 429, 429]
    refused = next(body for status, body in answers if status == 429)
    assert refused["error"] == "rate_limited"
    assert refused["detail"].startswith("too many requests (export); try again in 3")
    assert await db.fetchval("SELECT count(*) FROM account_exports") == 1
    response = await client.post(
        "/api/account/exports", json={"deliver": "fax"}, headers=me.headers
    )
    assert response.status == 400


@pytest.mark.parametrize("account_settings", [AccountSettings(export_max_bytes=2048)])
async def test_a_collection_past_the_cap_is_refused(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    status, body = await ask_export(client, me)
    assert status == 413
    assert body["error"] == "export_too_large"
    assert body["detail"].endswith("an export holds at most 0 MB")
    assert await db.fetchval("SELECT count(*) FROM account_exports") == 0


@pytest.mark.parametrize("account_settings", [AccountSettings(export_poll_s=3600)])
async def test_builders_racing_build_each_export_once(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    people = [
        await login(client, sandbox, first_name=f"P{n}", language_code="en") for n in range(3)
    ]
    for n, person in enumerate(people):
        await uploaded(client, person, f"Piece {n}", n + 1)
        assert (await ask_export(client, person))[0] == 202
    pool, store = client.app[DB_POOL], client.app[MEDIA_STORE]
    account = AccountSettings()
    built = await asyncio.gather(*(build_due(pool, store, account) for _ in range(6)))
    assert sum(built) == 3
    rows = await db.fetch("SELECT state, attempts FROM account_exports")
    assert [(r["state"], r["attempts"]) for r in rows] == [("ready", 1)] * 3
    assert len(export_files(client)) == 3


async def test_chat_export_arrives_as_a_file_message(
    client: ApiClient, sandbox: RunningSandbox
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    await sandbox.control.send_text(me.user_id, "/export")
    [queued] = await wait_for_bot_messages(sandbox.control, me.user_id)
    assert queued["text"].startswith("Preparing an archive of your data")
    messages = await wait_for_bot_messages(sandbox.control, me.user_id, 2, wait_s=20)
    delivered = messages[-1]
    assert delivered["text"] == (
        "Your data export: export.json and your original photos. It is kept 24 h."
    )
    [file] = [a for a in delivered["attachments"] if a["type"] == "file"]
    assert file["filename"].startswith("gallery-export-")
    async with ClientSession() as http, http.get(file["payload"]["url"]) as response:
        data = await response.read()
    assert file["size"] == len(data)
    document, photos = read_zip(data)
    assert [o["title"] for o in document["objects"]] == ["Harbour"]
    assert len(photos) == 1
    await sandbox.control.send_text(me.user_id, "/export")
    again = (await wait_for_bot_messages(sandbox.control, me.user_id, 3))[-1]
    assert again["text"] == "You can ask for an export once every 60 min. Try again in 60 min."


@pytest.mark.parametrize(
    "account_settings", [AccountSettings(export_poll_s=0.3, export_chat_max_bytes=1024)]
)
async def test_an_export_too_large_for_a_chat_file_is_offered_in_the_mini_app(
    client: ApiClient, sandbox: RunningSandbox
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    await sandbox.control.send_text(me.user_id, "/export")
    delivered = (await wait_for_bot_messages(sandbox.control, me.user_id, 2, wait_s=20))[-1]
    assert delivered["text"] == (
        "Your export is ready but too large for a chat file (1 MB): download it in the mini-app."
    )
    assert [a["type"] for a in delivered["attachments"]] == ["inline_keyboard"]
    [button] = buttons(delivered)
    assert (button["type"], button["text"], button["payload"]) == (
        "open_app",
        "Open my data",
        "account",
    )
    ready = await wait_ready(client, me)
    assert ready["state"] == "ready"


async def test_an_export_that_cannot_be_built_fails_and_says_so(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    key = await db.fetchval("SELECT original_key FROM photos")
    await client.app[MEDIA_STORE].delete([key])  # the original is lost
    await sandbox.control.send_text(me.user_id, "/export")
    failed = (await wait_for_bot_messages(sandbox.control, me.user_id, 2, wait_s=20))[-1]
    assert failed["text"] == "Your export could not be built. Please try again later."
    latest = await wait_ready(client, me)
    assert (latest["state"], latest["failure"], latest["byte_size"]) == ("failed", "error", None)
    status, refused = await link_of(client, me, latest["id"])
    assert (status, refused["error"]) == (404, "export_not_ready")


@pytest.mark.parametrize("account_settings", [AccountSettings(export_poll_s=3600)])
async def test_a_build_whose_builder_died_is_taken_again_and_the_late_one_finishes_nothing(
    client: ApiClient, sandbox: RunningSandbox, db: asyncpg.Connection
) -> None:
    me = await login(client, sandbox, first_name="Olga", language_code="en")
    await uploaded(client, me, "Harbour", 1)
    await ask_export(client, me)
    pool, store = client.app[DB_POOL], client.app[MEDIA_STORE]
    account = AccountSettings(export_lease_minutes=1)
    async with pool.acquire() as conn:
        dead = await claim_next(conn, timedelta(minutes=1))  # a builder that then died
        assert dead is not None
        assert await claim_next(conn, timedelta(minutes=1)) is None  # within the lease
    await db.execute("UPDATE account_exports SET claimed_at = now() - interval '2 minutes'")
    assert await build_due(pool, store, account) == 1
    row = await db.fetchrow("SELECT state, attempts FROM account_exports")
    assert row is not None
    assert (row["state"], row["attempts"]) == ("ready", 2)
    assert await build_one(pool, store, account, dead) is None  # its claim no longer holds
    assert len(export_files(client)) == 1
