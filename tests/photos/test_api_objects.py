"""The gallery API over real HTTP: search, pages, owner filter, edits, deletion, favourites."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from storage.media import MediaStore
from storage.users import upsert_user
from tests.photos.conftest import jpeg, post_photo, seed_object, stored_files
from tests.webapp.conftest import ApiDocument
from tests.webapp.helpers import ApiClient, LoggedIn

PAST = datetime(2026, 1, 1, tzinfo=UTC)


async def titles(client: ApiClient, query: str) -> list[str]:
    response = await client.get(f"/api/objects?{query}")
    body = await response.json()
    assert response.status == 200, body
    return [item["title"] for item in body["items"]]


@pytest.fixture
async def painter(db: asyncpg.Connection) -> int:
    await upsert_user(db, user_id=77, first_name="Painter")
    return 77


async def test_search_finds_russian_and_english_word_forms(
    client: ApiClient, db: asyncpg.Connection, painter: int
) -> None:
    await seed_object(db, painter, "Закаты над морем", "Вечер у воды")
    await seed_object(db, painter, "Boat at sunset", "Harbour in the evening")
    await seed_object(db, painter, "Лес", "Туман и сосны")
    assert await titles(client, "q=закат") == ["Закаты над морем"]
    assert await titles(client, "q=закатом") == ["Закаты над морем"]
    assert await titles(client, "q=boats") == ["Boat at sunset"]
    assert await titles(client, "q=evenings harbours") == ["Boat at sunset"]
    assert await titles(client, "q=сосна") == ["Лес"]
    assert await titles(client, "q=sunset OR лес") == ["Лес", "Boat at sunset"]
    assert await titles(client, "q=giraffe") == []
    assert await titles(client, "q=%20") == ["Лес", "Boat at sunset", "Закаты над морем"]


async def test_pages_have_no_gaps_or_repeats_while_objects_arrive(
    client: ApiClient, db: asyncpg.Connection, painter: int, api_doc: ApiDocument
) -> None:
    # same-instant pairs check the id tiebreak
    for n in range(25):
        await seed_object(db, painter, f"Old {n}", at=PAST + timedelta(seconds=n // 2))
    expected = [f"Old {n}" for n in sorted(range(25), key=lambda n: (n // 2, n), reverse=True)]
    seen: list[str] = []
    cursor = ""
    for round_ in range(10):
        response = await client.get(f"/api/objects?limit=7{cursor}")
        body = await response.json()
        api_doc.check("GET", "/api/objects", 200, body)
        seen += [item["title"] for item in body["items"]]
        await seed_object(db, painter, f"New {round_}")
        if body["next_cursor"] is None:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert seen == expected


async def test_a_forged_cursor_or_limit_is_400(client: ApiClient) -> None:
    forged = await client.get("/api/objects?cursor=not-a-cursor!")
    assert (forged.status, (await forged.json())["error"]) == (400, "bad_cursor")
    too_many = await client.get("/api/objects?limit=61")
    assert (too_many.status, (await too_many.json())["error"]) == (400, "invalid")


async def test_owner_filter_and_my_objects(
    client: ApiClient, db: asyncpg.Connection, alice: LoggedIn, bob: LoggedIn
) -> None:
    await seed_object(db, alice.user_id, "Alice 1")
    await seed_object(db, bob.user_id, "Bob 1")
    await seed_object(db, alice.user_id, "Alice 2")
    assert await titles(client, f"owner={alice.user_id}") == ["Alice 2", "Alice 1"]
    assert await titles(client, f"owner={bob.user_id}&q=bob") == ["Bob 1"]
    mine = await client.get("/api/me/objects?limit=1", headers=bob.headers)
    body = await mine.json()
    assert [item["title"] for item in body["items"]] == ["Bob 1"]
    assert body["next_cursor"] is None
    assert body["items"][0]["owner"] == {"id": bob.user_id, "name": "Борис", "avatar": None}


async def uploaded(client: ApiClient, who: LoggedIn, seed: int = 1) -> dict[str, Any]:
    status, body = await post_photo(client, who, jpeg(seed), "Mine", "First words")
    assert status == 201, body
    return body


async def test_only_the_owner_edits(client: ApiClient, alice: LoggedIn, bob: LoggedIn) -> None:
    body = await uploaded(client, alice)
    url = f"/api/objects/{body['id']}"
    refused = await client.patch(url, json={"title": "Stolen"}, headers=bob.headers)
    assert await refused.json() == {
        "error": "forbidden",
        "detail": "only the owner can edit this object",
    }
    edited = await client.patch(url, json={"title": " New  name "}, headers=alice.headers)
    after = await edited.json()
    assert (edited.status, after["title"], after["description"]) == (200, "New name", "First words")
    for bad in ({"title": ""}, {"title": "x" * 201}, {"description": "x" * 4001}, {"owner": 1}):
        response = await client.patch(url, json=bad, headers=alice.headers)
        assert response.status == 400, bad
    blank = await client.patch(url, json={"title": "   "}, headers=alice.headers)
    assert (await blank.json())["error"] == "invalid_title"


async def move(db: asyncpg.Connection, object_id: int, giver: int, receiver: int) -> None:
    await db.execute(
        "UPDATE art_objects SET owner_id = $2, version = version + 1 WHERE id = $1",
        object_id,
        receiver,
    )
    await db.execute(
        """INSERT INTO ownership_history (object_id, from_user_id, to_user_id, reason, reference_id)
           VALUES ($1, $2, $3, 'transfer', 1)""",
        object_id,
        giver,
        receiver,
    )


async def test_the_creator_deletes_while_never_moved_and_files_go_too(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn, store: MediaStore, db: asyncpg.Connection
) -> None:
    body = await uploaded(client, alice)
    url = f"/api/objects/{body['id']}"
    by_bob = await client.delete(url, headers=bob.headers)
    assert (by_bob.status, (await by_bob.json())["error"]) == (403, "forbidden")
    deleted = await client.delete(url, headers=alice.headers)
    assert deleted.status == 204
    assert await stored_files(store) == set()
    assert await db.fetchval("SELECT count(*) FROM photos") == 0
    gone = await client.get(url)
    assert (gone.status, (await gone.json())["error"]) == (404, "not_found")
    media = await client.get(body["media"]["thumb"])
    assert media.status == 404


async def test_an_object_that_changed_hands_cannot_be_deleted(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn, db: asyncpg.Connection
) -> None:
    body = await uploaded(client, alice)
    url = f"/api/objects/{body['id']}"
    await move(db, body["id"], alice.user_id, bob.user_id)
    by_creator = await client.delete(url, headers=alice.headers)
    assert (by_creator.status, (await by_creator.json())["error"]) == (409, "moved")
    by_owner = await client.delete(url, headers=bob.headers)
    assert (by_owner.status, (await by_owner.json())["error"]) == (403, "forbidden")
    await move(db, body["id"], bob.user_id, alice.user_id)
    back_home = await client.delete(url, headers=alice.headers)
    assert (back_home.status, (await back_home.json())["error"]) == (409, "moved")
    view = await (await client.get(url)).json()
    assert [(h["from"], h["to"]["id"], h["reason"]) for h in view["history"]] == [
        (None, alice.user_id, "created"),
        ({"id": alice.user_id, "name": "Alice"}, bob.user_id, "transfer"),
        ({"id": bob.user_id, "name": "Борис"}, alice.user_id, "transfer"),
    ]


async def test_favourites_are_idempotent_and_counted(
    client: ApiClient, alice: LoggedIn, bob: LoggedIn, api_doc: ApiDocument
) -> None:
    body = await uploaded(client, alice)
    url = f"/api/objects/{body['id']}/favorite"
    for _ in range(2):
        response = await client.put(url, headers=bob.headers)
        assert await response.json() == {"favorited": True, "favorite_count": 1}
    assert await (await client.put(url, headers=alice.headers)).json() == {
        "favorited": True,
        "favorite_count": 2,
    }
    view = await (await client.get(f"/api/objects/{body['id']}", headers=bob.headers)).json()
    api_doc.check("GET", "/api/objects/{object_id}", 200, view)
    assert (view["favorite_count"], view["favorited"]) == (2, True)
    anonymous = await (await client.get(f"/api/objects/{body['id']}")).json()
    assert (anonymous["favorite_count"], anonymous["favorited"]) == (2, False)
    favourites = await (await client.get("/api/me/favorites", headers=bob.headers)).json()
    assert [item["id"] for item in favourites["items"]] == [body["id"]]
    for _ in range(2):
        response = await client.delete(url, headers=bob.headers)
        assert await response.json() == {"favorited": False, "favorite_count": 1}
    favourites = await (await client.get("/api/me/favorites", headers=bob.headers)).json()
    assert favourites == {"items": [], "next_cursor": None}
    missing = await client.put("/api/objects/999999/favorite", headers=bob.headers)
    assert missing.status == 404
