"""An instance with a bit of everything, made through the API, and what it holds, read two
ways: every row of every table (and the sequences), and what the API shows of every object with
the SHA-256 of each media file behind its signed URLs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import asyncpg

from sandbox.runner import RunningSandbox
from tests.photos.conftest import jpeg, post_photo
from tests.webapp.helpers import ApiClient, LoggedIn, login

Json = dict[str, Any]
_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
_SEQUENCES = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"


@dataclass(frozen=True)
class Instance:
    people: dict[str, int]  # name -> user id
    objects: list[int]


async def populate(client: ApiClient, sandbox: RunningSandbox) -> Instance:
    """Three people, five uploaded photos, an accepted trade, a claimed transfer, favourites."""
    alice = await login(client, sandbox, first_name="Alice", language_code="en")
    bob = await login(client, sandbox, first_name="Борис", language_code="ru")
    carol = await login(client, sandbox, first_name="Carol", language_code="en")
    alices = [await upload(client, alice, seed) for seed in (11, 12, 13)]
    bobs = [await upload(client, bob, seed) for seed in (21, 22)]
    await trade(client, alice, bob, give=alices[0], take=bobs[0])
    await hand_over(client, alice, carol, alices[1])
    for fan in (bob, carol):
        response = await client.put(f"/api/objects/{alices[2]}/favorite", headers=fan.headers)
        assert response.status == 200, await response.text()
    people = {"alice": alice.user_id, "bob": bob.user_id, "carol": carol.user_id}
    return Instance(people, alices + bobs)


async def upload(client: ApiClient, who: LoggedIn, seed: int) -> int:
    status, body = await post_photo(client, who, jpeg(seed), f"Photo {seed}", "before the backup")
    assert status == 201, body
    return int(body["id"])


async def trade(client: ApiClient, by: LoggedIn, to: LoggedIn, give: int, take: int) -> None:
    body = {"recipient_id": to.user_id, "give": [give], "take": [take], "message": "trade?"}
    response = await client.post("/api/trades", json=body, headers=by.headers)
    proposed = await response.json()
    assert response.status == 201, proposed
    accept = {"version": proposed["version"]}
    url = f"/api/trades/{proposed['id']}/accept"
    response = await client.post(url, json=accept, headers=to.headers)
    assert response.status == 200, await response.text()


async def hand_over(client: ApiClient, owner: LoggedIn, to: LoggedIn, object_id: int) -> None:
    body = {"object_id": object_id, "to_user_id": to.user_id}
    response = await client.post("/api/transfers", json=body, headers=owner.headers)
    created = await response.json()
    assert response.status == 201, created
    url = f"/api/transfers/{created['id']}/accept"
    response = await client.post(url, headers=to.headers)
    assert response.status == 200, await response.text()


async def database_contents(url: str) -> dict[str, list[str]]:
    """Every row of every table, order aside, and every sequence's position."""
    conn = await asyncpg.connect(url)
    try:
        contents = {}
        for (table,) in await conn.fetch(_TABLES):
            contents[table] = _sorted(await conn.fetch(f'SELECT * FROM "{table}"'))  # noqa: S608
        contents["<sequences>"] = _sorted(await conn.fetch(_SEQUENCES))
        return contents
    finally:
        await conn.close()


def _sorted(rows: list[asyncpg.Record]) -> list[str]:
    return sorted(repr(tuple(row.values())) for row in rows)


async def seen_through_the_api(
    client: ApiClient, viewer: LoggedIn, objects: list[int]
) -> dict[int, tuple[Json, dict[str, str]]]:
    """Each object as the viewer gets it (signed URLs aside) and its media files' hashes."""
    seen = {}
    for object_id in objects:
        response = await client.get(f"/api/objects/{object_id}", headers=viewer.headers)
        body = await response.json()
        assert response.status == 200, body
        media = body.pop("media")
        seen[object_id] = (body, {name: await media_hash(client, url)
                                  for name, url in media.items() if url})  # fmt: skip
    return seen


async def media_hash(client: ApiClient, url: str) -> str:
    response = await client.get(url)
    assert response.status == 200, (url, response.status)
    return hashlib.sha256(await response.read()).hexdigest()
