"""What the page does with launch data it cannot use, with an expired access token, and the
headers that keep the page to itself."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import Request, Route, expect

from sandbox.control import Variant
from sandbox.signer import launch_url
from tests.browser.conftest import MiniApp
from webapp.pages import content_security_policy, render_page


@pytest.mark.parametrize("variant", ["expired", "tampered", "future"])
async def test_refused_launch_data_says_to_open_it_from_max(
    mini_app: MiniApp, variant: Variant
) -> None:
    page = await mini_app.open(await mini_app.user("Emma", "en"), variant=variant)
    await expect(page.get_by_role("heading", name="Open this from MAX")).to_be_visible()
    await expect(page.locator("body")).to_have_attribute("data-state", "noMax")
    await expect(page.locator("#tabs")).to_be_hidden()


async def test_no_launch_data_at_all_says_to_open_it_from_max(mini_app: MiniApp) -> None:
    context = await mini_app.browser.new_context(locale="ru-RU")
    page = await context.new_page()
    await page.goto(mini_app.webapp_url)
    await expect(page.get_by_role("heading", name="Откройте из MAX")).to_be_visible()


async def test_the_page_is_served_with_a_strict_content_security_policy(
    mini_app: MiniApp,
) -> None:
    response = await mini_app.client.get("/app")
    assert response.status == 200
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' https://st.max.ru" in policy
    assert "img-src 'self' data: blob: https:" in policy
    assert '<script src="https://st.max.ru/js/max-web-app.js"></script>' in await response.text()


async def test_an_expired_access_token_is_refreshed_once_and_the_call_retried(
    mini_app: MiniApp,
) -> None:
    anna = await mini_app.user("Anna", "en")
    await mini_app.upload(anna, 7, "Dawn")
    refreshes: list[str] = []
    expired = {"left": 1}

    async def expire_first_gallery_call(route: Route, request: Request) -> None:
        if expired["left"]:
            expired["left"] -= 1
            body = json.dumps({"error": "token_expired", "detail": "the access token expired"})
            await route.fulfill(status=401, body=body, content_type="application/json")
        else:
            await route.continue_()

    def count_refresh(request: Request) -> None:
        if request.url.endswith("/api/auth/refresh"):
            refreshes.append(request.method)

    context = await mini_app.browser.new_context()
    await context.route("https://st.max.ru/**", lambda route: route.abort())
    await context.route("**/api/objects?*", expire_first_gallery_call)
    page = await context.new_page()
    page.on("request", count_refresh)
    launch = await mini_app.sandbox.control.launch_data(anna)
    await page.goto(launch_url(mini_app.webapp_url, str(launch["init_data"])))
    await expect(page.locator(".grid .tile")).to_have_count(1)
    assert refreshes == ["POST"]


def test_against_the_built_in_sandbox_the_page_leaves_out_max_s_script() -> None:
    page = render_page(with_bridge=False).decode()
    assert "st.max.ru" not in page
    assert '<script type="module" src="/app/static/app.js"></script>' in page
    assert "st.max.ru" not in content_security_policy(with_bridge=False)
