"""My data in the mini-app, light and dark: an export built and downloaded through the bridge's
downloadFile, and the account deleted after the warning and the typed word. Screenshots go to
$BROWSER_SHOTS (account-*.png)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.account.conftest import read_zip
from tests.bot.helpers import wait_for_bot_messages
from tests.browser.conftest import MiniApp, browser, mini_app, shots_dir

__all__ = ["browser", "mini_app", "shots_dir"]


async def shot(page: Page, shots: Path, name: str, scheme: str) -> None:
    await page.screenshot(path=shots / f"account-{name}-{scheme}.png")


async def open_my_data(page: Page, shots: Path, scheme: str) -> None:
    await page.locator("#tabs .tab-mine").click()
    await expect(page.locator("#open-account")).to_have_text("My data")
    await shot(page, shots, "mine", scheme)
    await page.locator("#open-account").click()
    await expect(page.locator("#export-start")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_export_then_delete_in_the_mini_app(
    mini_app: MiniApp, shots_dir: Path, db: asyncpg.Connection, scheme: Literal["light", "dark"]
) -> None:
    anna = await mini_app.user("Anna", "en")
    await mini_app.upload(anna, 41, "Dune")
    await mini_app.upload(anna, 42, "Reef")
    page = await mini_app.open(anna, color_scheme=scheme)
    await open_my_data(page, shots_dir, scheme)
    await shot(page, shots_dir, "my-data", scheme)

    await page.locator("#export-start").click()
    ready = page.locator('.export-row[data-state="ready"]')
    await expect(ready).to_have_count(1, timeout=20_000)
    await expect(ready.locator(".row-sub")).to_contain_text("Ready · ")
    await shot(page, shots_dir, "export-ready", scheme)
    async with page.expect_download():
        await ready.locator(".export-download").click()
    [asked] = await page.evaluate("window.sandboxDownloads")
    assert asked["fileName"].startswith("gallery-export-")
    url = urlsplit(asked["url"])
    response = await mini_app.client.get(f"{url.path}?{url.query}")
    assert response.status == 200
    document, photos = read_zip(await response.read())
    assert sorted(o["title"] for o in document["objects"]) == ["Dune", "Reef"]
    assert len(photos) == 2

    await page.locator("#delete-start").click()
    dialog = page.locator("dialog.delete-dialog")
    await expect(dialog).to_be_visible()
    await expect(dialog.locator("#delete-facts li").first).to_have_text(
        "The objects you own (2) and their photos are removed from the gallery."
    )
    await expect(dialog.locator("#delete-confirm")).to_be_disabled()
    await page.locator("#delete-word").fill("delet")
    await expect(dialog.locator("#delete-confirm")).to_be_disabled()
    await page.locator("#delete-word").fill("delete")
    await expect(dialog.locator("#delete-confirm")).to_be_enabled()
    await shot(page, shots_dir, "delete-dialog", scheme)
    await dialog.locator("#delete-confirm").click()
    await page.wait_for_selector('body[data-state="deleted"]')
    await expect(page.locator("#view h2")).to_have_text("Your account is deleted")
    await shot(page, shots_dir, "deleted", scheme)
    assert await db.fetchval("SELECT count(*) FROM users WHERE id = $1", anna) == 0
    assert await db.fetchval("SELECT count(*) FROM art_objects") == 0


async def test_the_sandbox_chat_shows_the_export_as_a_file(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna = await mini_app.user("Anna", "en")
    await mini_app.upload(anna, 41, "Dune")
    await mini_app.sandbox.control.send_text(anna, "/export")
    await wait_for_bot_messages(mini_app.sandbox.control, anna, 2, wait_s=20)
    page = await mini_app.browser.new_page(viewport={"width": 1100, "height": 700})
    try:
        await page.goto(f"{mini_app.sandbox.base_url}/_sandbox/")
        await page.click(".user-row")
        file = page.locator(".msg a.file")
        await expect(file).to_have_count(1)
        await expect(file).to_contain_text("File: gallery-export-")
        assert (await file.get_attribute("download") or "").endswith(".zip")
        await page.screenshot(path=shots_dir / "account-export-in-sandbox-chat.png")
    finally:
        await page.close()
