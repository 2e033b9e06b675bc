"""Profiles in the mini-app: a closed collection, asking for access and being let in, the privacy
setting taking effect at once, revoking, withdrawing and declining."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page, expect

from tests.browser.conftest import MiniApp
from tests.webapp.helpers import login


async def api(mini_app: MiniApp, user_id: int, method: str, path: str, body: Any = None) -> Any:
    """One API call as `user_id`, asserted to succeed; its JSON answer."""
    logged = await login(mini_app.client, mini_app.sandbox, user_id=user_id)
    response = await mini_app.client.request(
        method, f"/api{path}", json=body, headers=logged.headers
    )
    answer = await response.json()
    assert response.status < 300, answer
    return answer


async def set_privacy(mini_app: MiniApp, user_id: int, privacy: str) -> None:
    answer = await api(mini_app, user_id, "PATCH", "/me", {"privacy": privacy})
    assert answer["privacy"] == privacy


async def visible_titles(mini_app: MiniApp, viewer: int, owner: int | None = None) -> list[str]:
    query = f"?owner={owner}" if owner else ""
    page = await api(mini_app, viewer, "GET", f"/objects{query}")
    return [item["title"] for item in page["items"]]


async def photos_shown(page: Page, count: int) -> None:
    """Every tile's photo loaded and faded in over its placeholder (for a screenshot)."""
    photos = page.locator(".grid .tile img.loaded")
    await expect(photos).to_have_count(count)
    for index in range(count):
        await expect(photos.nth(index)).to_have_css("opacity", "1")


async def open_settings(page: Page) -> None:
    await page.locator("#tabs .tab-mine").click()
    await page.locator("#open-settings").click()
    await expect(page.locator("#privacy")).to_be_visible()


async def test_a_locked_profile_opens_once_the_owner_approves(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    await mini_app.upload(anna, 41, "Dune")
    await mini_app.upload(anna, 42, "Reef")
    await set_privacy(mini_app, anna, "approved")

    page = await mini_app.open(boris, start_param=f"u_{anna}")
    await expect(page.locator("#profile-name")).to_have_text("Anna")
    await expect(page.locator("#title")).to_have_text("Anna")
    await expect(page.locator(".stats")).to_have_count(0)  # how much she owns is hers to hide
    await expect(page.locator("#locked-title")).to_have_text("This collection is closed")
    await expect(page.locator("#locked-why")).to_have_text(
        "Anna shows the collection only to people they approve."
    )
    await expect(page.locator(".grid")).to_have_count(0)
    await page.screenshot(path=shots_dir / "profile-locked.png")

    await page.locator("#request-access").click()
    await expect(page.locator("#request-status")).to_have_text("Request sent — waiting for Anna")
    await expect(page.locator("#request-withdraw")).to_be_visible()
    await page.screenshot(path=shots_dir / "profile-pending.png")

    owner = await mini_app.open(anna)
    await owner.locator("#tabs .tab-inbox").click()
    requests = owner.locator("#requests-incoming .row")
    await expect(requests.locator(".row-title")).to_have_text(["Boris asks to see your collection"])
    await owner.screenshot(path=shots_dir / "inbox-requests.png")
    await requests.locator("[data-action=approve]").click()
    await expect(owner.locator("#requests-incoming")).to_have_count(0)
    await expect(owner.get_by_role("heading", name="Nothing here yet")).to_be_visible()

    # the answer reaches Boris as a push in the chat; coming back to the app shows it
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    await expect(page.locator(".grid .tile")).to_have_text(["Reef", "Dune"])
    await expect(page.locator("#profile-locked")).to_have_count(0)
    await expect(page.locator("#stat-owned")).to_have_text("2")
    await expect(page.locator("#stat-created")).to_have_text("2")
    await photos_shown(page, 2)
    await page.screenshot(path=shots_dir / "profile-open.png")
    assert await visible_titles(mini_app, boris, anna) == ["Reef", "Dune"]


async def test_changing_privacy_in_settings_hides_my_objects_from_a_stranger_at_once(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, carol = await mini_app.user("Anna", "en"), await mini_app.user("Carol", "en")
    await mini_app.upload(anna, 43, "Orchard")
    stranger = await mini_app.open(carol)
    await expect(stranger.locator(".grid .tile")).to_have_text(["Orchard"])
    await stranger.locator(".tile-owner").click()
    await expect(stranger.locator("#profile-name")).to_have_text("Anna")
    await expect(stranger.locator(".profile .grid .tile")).to_have_text(["Orchard"])
    await photos_shown(stranger, 1)
    await stranger.screenshot(path=shots_dir / "profile-public.png")

    page = await mini_app.open(anna)
    await page.locator("#tabs .tab-mine").click()
    await expect(page.locator("#my-profile")).to_contain_text("Visible to: Everyone")
    await photos_shown(page, 1)
    await page.screenshot(path=shots_dir / "mine.png")
    await open_settings(page)
    await expect(page.locator("#privacy-public")).to_be_checked()
    async with page.expect_response("**/api/me") as saved:
        await page.get_by_text("Only me", exact=True).click()
    assert (await (await saved.value).json())["privacy"] == "private"
    await expect(page.locator("#toast")).to_have_text("Saved: Only me")
    await expect(page.locator("#privacy-private")).to_be_checked()
    await expect(page.locator("#approved-empty")).to_be_visible()
    await page.screenshot(path=shots_dir / "privacy-settings.png", full_page=True)

    assert await visible_titles(mini_app, carol) == []
    assert await visible_titles(mini_app, anna) == ["Orchard"]
    await stranger.locator("#tabs .tab-gallery").click()
    await expect(stranger.get_by_role("heading", name="The gallery is empty")).to_be_visible()
    closed = await mini_app.open(carol, start_param=f"u_{anna}")
    await expect(closed.locator("#locked-why")).to_have_text(
        "Anna keeps the collection private: nobody else can see it."
    )
    await expect(closed.locator("#request-access")).to_have_count(0)

    await page.get_by_role("button", name="Back").click()
    await expect(page.locator("#my-profile")).to_contain_text("Visible to: Only me")
    await page.locator("#my-profile").click()
    await expect(page.locator("#profile-privacy")).to_have_text("Visible to: Only me")
    await expect(page.locator(".profile .grid .tile")).to_have_text(["Orchard"])
    await photos_shown(page, 1)
    await page.screenshot(path=shots_dir / "profile-self.png")


async def ask_and_approve(mini_app: MiniApp, requester: int, target: int) -> int:
    asked = await api(mini_app, requester, "POST", "/profile-requests", {"target_id": target})
    await api(mini_app, target, "POST", f"/profile-requests/{asked['id']}/approve")
    return int(asked["id"])


async def test_revoking_an_approval_closes_the_collection_again(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    await mini_app.upload(anna, 44, "Quarry")
    await set_privacy(mini_app, anna, "approved")
    await ask_and_approve(mini_app, boris, anna)
    assert await visible_titles(mini_app, boris, anna) == ["Quarry"]

    page = await mini_app.open(anna)
    await open_settings(page)
    await expect(page.locator("#privacy-approved")).to_be_checked()
    approved = page.locator("#approved-list .row")
    await expect(approved.locator(".row-title")).to_have_text(["Boris"])
    await approved.get_by_role("button", name="Revoke").click()
    await expect(page.locator("dialog h2")).to_have_text("Stop showing your collection to Boris?")
    await page.locator("#confirm-yes").click()
    await expect(page.locator("#approved-empty")).to_be_visible()
    await expect(page.locator("#toast")).to_have_text("Access revoked")

    assert await visible_titles(mini_app, boris, anna) == []
    viewer = await mini_app.open(boris, start_param=f"u_{anna}")
    await expect(viewer.locator("#request-access")).to_be_visible()


async def test_a_request_is_withdrawn_from_the_outgoing_inbox(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Анна", "ru"), await mini_app.user("Борис", "ru")
    await set_privacy(mini_app, anna, "approved")
    page = await mini_app.open(boris, start_param=f"u_{anna}")
    await expect(page.locator("#locked-why")).to_have_text(
        "Анна показывает коллекцию только тем, кому даёт доступ."
    )
    await page.locator("#request-access").click()
    await expect(page.locator("#request-status")).to_have_text(
        "Запрос отправлен — ждём ответа: Анна"
    )
    await page.locator("#tabs .tab-inbox").click()
    await page.get_by_role("button", name="Исходящие").click()
    outgoing = page.locator("#requests-outgoing .row")
    await expect(outgoing.locator(".row-title")).to_have_text(["Вы попросили доступ: Анна"])
    await outgoing.get_by_role("button", name="Отозвать").click()
    await expect(page.locator("#toast")).to_have_text("Запрос отозван")
    await expect(page.locator("#requests-outgoing")).to_have_count(0)
    assert await api(mini_app, anna, "GET", "/profile-requests?box=incoming") == {"items": []}


async def test_declined_and_already_decided_requests_are_said_plainly(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    await set_privacy(mini_app, anna, "approved")
    asked = await api(mini_app, boris, "POST", "/profile-requests", {"target_id": anna})
    page = await mini_app.open(boris, start_param=f"u_{anna}")
    await expect(page.locator("#request-withdraw")).to_be_visible()

    owner = await mini_app.open(anna)
    await owner.locator("#tabs .tab-inbox").click()
    await owner.locator("#requests-incoming [data-action=decline]").click()
    await expect(owner.locator("#toast")).to_have_text("Declined")
    await expect(owner.locator("#requests-incoming")).to_have_count(0)
    declined = await api(mini_app, boris, "GET", "/profile-requests?box=outgoing&status=all")
    assert [(r["id"], r["status"]) for r in declined["items"]] == [(asked["id"], "declined")]

    await page.locator("#request-withdraw").click()
    await expect(page.locator("#toast")).to_have_text("This request has already been declined.")
    await expect(page.locator("#request-access")).to_be_visible()
    await page.locator("#request-access").click()
    await expect(page.locator("#request-status")).to_have_text("Request sent — waiting for Anna")


async def test_the_owner_on_an_object_page_opens_their_profile(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    object_id = await mini_app.upload(anna, 45, "Lagoon")
    await api(mini_app, boris, "PUT", f"/objects/{object_id}/favorite")
    page = await mini_app.open(boris, start_param=f"o_{object_id}")
    await page.locator(".person").click()
    await expect(page.locator("#profile-name")).to_have_text("Anna")
    await expect(page.locator("#stat-favorites")).to_have_text("1")
    await expect(page.locator(".profile .grid .tile")).to_have_text(["Lagoon"])
    await expect(page.locator("#profile-privacy")).to_have_count(0)


async def test_a_missing_person_says_so(mini_app: MiniApp) -> None:
    page = await mini_app.open(await mini_app.user("Emma", "en"), start_param="u_999999999")
    await expect(page.get_by_role("heading", name="No such person")).to_be_visible()
