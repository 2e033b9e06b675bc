"""The notification settings screen in the mini-app (headless Chromium), light and dark: reached
from Mine, each switch saved at once, a refused save puts the switch back."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from playwright.async_api import Page, Route, expect

from tests.browser.conftest import MiniApp, browser, mini_app, shots_dir
from tests.notifications.conftest import DEFAULTS
from tests.webapp.helpers import login

__all__ = ["browser", "mini_app", "shots_dir"]
KINDS = list(DEFAULTS)


async def open_notifications(page: Page, shot: Path | None = None) -> None:
    await page.locator("#tabs .tab-mine").click()
    await expect(page.locator("#open-notifications")).to_be_visible()
    if shot is not None:
        await page.screenshot(path=shot)
    await page.locator("#open-notifications").click()
    await expect(page.locator("#notification-switches")).to_be_visible()


async def stored(mini_app: MiniApp, user_id: int) -> dict[str, bool]:
    logged = await login(mini_app.client, mini_app.sandbox, user_id=user_id)
    response = await mini_app.client.get("/api/me/notifications", headers=logged.headers)
    answer: dict[str, bool] = await response.json()
    return answer


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_switches_show_my_settings_and_save_each_change(
    mini_app: MiniApp, shots_dir: Path, scheme: Literal["light", "dark"]
) -> None:
    anna = await mini_app.user("Anna", "en")
    page = await mini_app.open(anna, color_scheme=scheme)
    await open_notifications(page, shots_dir / f"notifications-entry-{scheme}.png")
    await expect(page.locator("#title")).to_have_text("Notifications")
    for kind in KINDS:
        check = expect(page.locator(f"#notify-{kind}"))
        await (check.to_be_checked() if DEFAULTS[kind] else check.not_to_be_checked())
    await page.screenshot(path=shots_dir / f"notifications-{scheme}.png", full_page=True)

    async with page.expect_response("**/api/me/notifications") as saved:
        await page.get_by_text("Favourites of my objects", exact=True).click()
    assert (await (await saved.value).json())["favorites"] is True
    await expect(page.locator("#toast")).to_have_text("On: Favourites of my objects")
    async with page.expect_response("**/api/me/notifications"):
        await page.locator("#notify-trades").focus()
        await page.keyboard.press("Space")
    await expect(page.locator("#toast")).to_have_text("Off: Trades and their outcomes")
    await expect(page.locator("#notify-trades")).not_to_be_checked()
    await expect(page.locator("#notify-favorites")).to_be_checked()
    await page.screenshot(path=shots_dir / f"notifications-changed-{scheme}.png", full_page=True)
    assert await stored(mini_app, anna) == {**DEFAULTS, "favorites": True, "trades": False}

    await page.reload()  # what was saved is what the screen shows next time
    await page.wait_for_selector("body[data-state]")
    await open_notifications(page)
    await expect(page.locator("#notify-trades")).not_to_be_checked()
    await expect(page.locator("#notify-favorites")).to_be_checked()


async def test_a_refused_save_puts_the_switch_back(mini_app: MiniApp, shots_dir: Path) -> None:
    anna = await mini_app.user("Anna", "ru")
    page = await mini_app.open(anna)
    await open_notifications(page)

    async def refuse(route: Route) -> None:
        if route.request.method == "PATCH":
            body = '{"error": "rate_limited", "detail": "too many changes"}'
            await route.fulfill(status=429, body=body, content_type="application/json",
                                headers={"Retry-After": "30"})  # fmt: skip
        else:
            await route.continue_()

    await page.route("**/api/me/notifications", refuse)
    await page.locator("#notify-moderation").click()
    await expect(page.locator("#notify-moderation")).to_be_checked()
    await expect(page.locator("#toast")).to_be_visible()
    await page.screenshot(path=shots_dir / "notifications-refused-ru.png", full_page=True)
    assert await stored(mini_app, anna) == DEFAULTS
