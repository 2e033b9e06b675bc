"""Every leak path, for each privacy level, for the owner, an approved requester, a pending
requester and a stranger: the rule is the same everywhere an object or its media could show."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from sandbox.runner import RunningSandbox
from tests.bot.helpers import settle, wait_for_bot_messages
from tests.profiles.conftest import Cast, set_privacy

Client = TestClient[web.Request, web.Application]
ROLES = ("owner", "approved", "pending", "stranger")
SEES = {
    "public": {"owner": True, "approved": True, "pending": True, "stranger": True},
    "approved": {"owner": True, "approved": True, "pending": False, "stranger": False},
    "private": {"owner": True, "approved": False, "pending": False, "stranger": False},
}
CASES = [(privacy, role) for privacy in SEES for role in ROLES]


async def listed(client: Client, cast: Cast, role: str, query: str) -> bool:
    response = await client.get(f"/api/objects{query}", headers=cast.viewer(role).headers)
    assert response.status == 200
    return cast.object_id in [item["id"] for item in (await response.json())["items"]]


@pytest.mark.parametrize(("privacy", "role"), CASES)
async def test_gallery_search_and_owner_filter(
    client: Client, cast: Cast, privacy: str, role: str
) -> None:
    await set_privacy(client, cast.owner, privacy)
    expected = SEES[privacy][role]
    assert await listed(client, cast, role, "") is expected
    assert await listed(client, cast, role, "?q=garden") is expected
    assert await listed(client, cast, role, "?q=roses") is expected
    assert await listed(client, cast, role, f"?owner={cast.owner.user_id}") is expected


@pytest.mark.parametrize(("privacy", "role"), CASES)
async def test_object_page_history_and_media_urls(
    client: Client, cast: Cast, privacy: str, role: str
) -> None:
    await set_privacy(client, cast.owner, privacy)
    headers = cast.viewer(role).headers
    page = await client.get(f"/api/objects/{cast.object_id}", headers=headers)
    history = await client.get(f"/api/objects/{cast.object_id}/history", headers=headers)
    if SEES[privacy][role]:
        assert page.status == 200
        assert (await page.json())["media"]["preview"].startswith("/media/")
        assert history.status == 200
    else:
        assert page.status == 404  # the same answer as for an object that never existed
        assert (await page.json())["error"] == "not_found"
        assert "media" not in await page.text()
        assert history.status == 404


@pytest.mark.parametrize(("privacy", "role"), CASES)
async def test_favourites_list(client: Client, cast: Cast, privacy: str, role: str) -> None:
    await set_privacy(client, cast.owner, privacy)
    response = await client.get("/api/me/favorites", headers=cast.viewer(role).headers)
    ids = [item["id"] for item in (await response.json())["items"]]
    favourited = role != "owner"
    assert (cast.object_id in ids) is (favourited and SEES[privacy][role])


@pytest.mark.parametrize(("privacy", "role"), [c for c in CASES if c[1] != "owner"])
async def test_trade_composition(client: Client, cast: Cast, privacy: str, role: str) -> None:
    await set_privacy(client, cast.owner, privacy)
    trade = {"recipient_id": cast.owner.user_id, "give": [], "take": [cast.object_id]}
    response = await client.post("/api/trades", json=trade, headers=cast.viewer(role).headers)
    if SEES[privacy][role]:
        assert response.status == 201, await response.text()
    else:
        assert response.status == 404
        assert (await response.json())["error"] == "object_not_found"


@pytest.mark.parametrize(("privacy", "role"), CASES)
async def test_bot_object_card(
    client: Client, sandbox: RunningSandbox, cast: Cast, privacy: str, role: str
) -> None:
    await set_privacy(client, cast.owner, privacy)
    viewer = cast.viewer(role)
    before = await settle(sandbox.control, viewer.user_id)  # e.g. the owner's request pushes
    await sandbox.control.start_bot(viewer.user_id, f"o_{cast.object_id}")
    card = (await wait_for_bot_messages(sandbox.control, viewer.user_id, len(before) + 1))[-1]
    if SEES[privacy][role]:
        assert card["text"] == "«Secret garden» — owned by Olga."
    else:
        assert card["text"] == (  # the same as for no object at all (tests/cards)
            "This object can't be shown: its collection is private, or the link is wrong. "
            "You can ask its owner for access."
        )


@pytest.mark.parametrize("privacy", list(SEES))
async def test_signed_out_visitors_see_public_collections_only(
    client: Client, cast: Cast, privacy: str
) -> None:
    await set_privacy(client, cast.owner, privacy)
    response = await client.get("/api/objects")
    ids = [item["id"] for item in (await response.json())["items"]]
    assert (cast.object_id in ids) is (privacy == "public")
    page = await client.get(f"/api/objects/{cast.object_id}")
    assert page.status == (200 if privacy == "public" else 404)


async def test_a_change_takes_effect_at_once(client: Client, cast: Cast) -> None:
    revoked = False  # going private ends every approval for good
    for privacy in ("approved", "public", "private", "public", "approved", "private", "public"):
        await set_privacy(client, cast.owner, privacy)
        revoked = revoked or privacy == "private"
        for role in ROLES:
            ended = revoked and privacy == role == "approved"
            expected = SEES[privacy][role] and not ended
            assert await listed(client, cast, role, "") is expected, (privacy, role)
