"""The mini-app in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright), opened
from launch URLs signed by the sandbox exactly as MAX opens it, against the app on a real port."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import aiohttp
import pytest
from playwright.async_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    ViewportSize,
    async_playwright,
)

from sandbox.control import Variant
from sandbox.runner import RunningSandbox
from sandbox.signer import launch_url
from tests.browser.artworks import artwork_jpeg
from tests.webapp.helpers import ApiClient, LoggedIn, login

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
# The test app runs as in production (no built-in sandbox), so its page asks for MAX's bridge
# script; there is no MAX here, so that request is refused and the page uses its stand-in.
MAX_SCRIPT = "https://st.max.ru/**"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not os.path.exists(CHROMIUM):  # noqa: ASYNC240 - once per test, a stat
        pytest.skip(
            "browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
        )
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
def shots_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $BROWSER_SHOTS to keep them, else the test's temp dir."""
    path = Path(os.environ.get("BROWSER_SHOTS", tmp_path / "shots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class MiniApp:
    """Opens the mini-app as sandbox users and keeps what went wrong inside the page."""

    client: ApiClient
    sandbox: RunningSandbox
    browser: Browser
    app_port: int
    page_errors: list[str] = field(default_factory=list)
    api_calls: list[str] = field(default_factory=list)
    logins: dict[int, LoggedIn] = field(default_factory=dict)

    @property
    def webapp_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}/app"

    async def user(self, first_name: str = "Anna", language_code: str = "ru") -> int:
        created = await self.sandbox.control.create_user(first_name, language_code=language_code)
        return int(created["user"]["user_id"])

    async def open(
        self,
        user_id: int,
        *,
        start_param: str | None = None,
        variant: Variant = "valid",
        color_scheme: Literal["light", "dark"] = "light",
    ) -> Page:
        launch = await self.sandbox.control.launch_data(user_id, start_param, variant)
        url = launch_url(self.webapp_url, str(launch["init_data"]), launch["start_param"])
        context = await self.browser.new_context(
            viewport=PHONE, device_scale_factor=2, color_scheme=color_scheme
        )
        await context.route(MAX_SCRIPT, lambda route: route.abort())
        page = await context.new_page()
        page.on("pageerror", lambda exc: self.page_errors.append(f"uncaught: {exc}"))
        page.on("console", self._console)
        page.on("response", self._response)
        await page.goto(url)
        await page.wait_for_selector("body[data-state]")
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # failed loads are expected (the refused MAX script, 4xx answers the page handles)
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.page_errors.append(message.text)

    def _response(self, response: Response) -> None:
        if "/api/" in response.url:
            self.api_calls.append(f"{response.request.method} {response.url.split('/api', 1)[1]}")
        if "/app/" in response.url and response.status >= 400:
            self.page_errors.append(f"{response.status} {response.url}")

    async def upload(self, user_id: int, seed: int, title: str, description: str = "") -> int:
        """A photo added through the API (quicker than the form when it is not under test)."""
        logged = self.logins.get(user_id) or await login(self.client, self.sandbox, user_id=user_id)
        self.logins[user_id] = logged  # one login per person, as the mini-app keeps its token
        form = aiohttp.FormData()
        form.add_field(
            "file", artwork_jpeg(seed), filename=f"{seed}.jpg", content_type="image/jpeg"
        )
        form.add_field("title", title)
        form.add_field("description", description)
        response = await self.client.post("/api/photos", data=form, headers=logged.headers)
        body = await response.json()
        assert response.status == 201, body
        return int(body["id"])


@pytest.fixture
async def mini_app(
    client: ApiClient, sandbox: RunningSandbox, browser: Browser, app_port: int
) -> AsyncIterator[MiniApp]:
    app = MiniApp(client, sandbox, browser, app_port)
    yield app
    assert app.page_errors == []
