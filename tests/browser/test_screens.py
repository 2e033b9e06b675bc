"""Screenshots of the main screens in light and dark, to look at: set BROWSER_SHOTS=<dir> to keep
them (named <screen>-<scheme>.png). tests/browser/test_look.py holds the colours to MAX's tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import httpx
import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from sandbox.runner import RunningSandbox
from tests.browser.conftest import MiniApp

Scheme = Literal["light", "dark"]
BACKGROUND = {"light": "rgb(237, 238, 242)", "dark": "rgb(23, 24, 28)"}  # MAX surface-ground
DESKTOP: ViewportSize = {"width": 1100, "height": 640}

TITLES = ["Рассвет над заливом", "Sunset harbour", "Сосновый лес", "Old quarry", "Маяк",
          "Orchard in bloom", "Поле", "Quiet bay"]  # fmt: skip


async def shoot(page: Page, path: Path, scheme: Scheme, *, full_page: bool = False) -> None:
    """A screenshot, after checking the page really wears the scheme it is named for."""
    background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == BACKGROUND[scheme]
    await page.screenshot(path=path.with_name(f"{path.stem}-{scheme}.png"), full_page=full_page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screens_of_the_gallery_an_object_and_the_upload_form(
    mini_app: MiniApp, shots_dir: Path, scheme: Scheme
) -> None:
    anna, boris = await mini_app.user("Anna", "ru"), await mini_app.user("Борис", "ru")
    ids = [await mini_app.upload(anna if i % 3 else boris, 100 + i, title, "Акварельное утро")
           for i, title in enumerate(TITLES)]  # fmt: skip
    page = await mini_app.open(anna, color_scheme=scheme)
    await expect(page.locator(".grid .tile img.loaded")).to_have_count(len(TITLES))
    await shoot(page, shots_dir / "gallery.png", scheme)

    await page.get_by_role("button", name=TITLES[-1]).click()
    await expect(page.locator(".object-hero img.loaded")).to_have_count(1)
    await page.locator("#favorite").click()
    await expect(page.locator("#favorite")).to_have_attribute("aria-pressed", "true")
    await shoot(page, shots_dir / "object.png", scheme, full_page=True)

    other = await mini_app.open(boris, start_param=f"o_{ids[1]}", color_scheme=scheme)
    await expect(other.locator(".object-hero img.loaded")).to_have_count(1)
    await shoot(other, shots_dir / "object-other.png", scheme, full_page=True)

    await page.locator("#tabs .tab-upload").click()
    await expect(page.locator("#upload-submit")).to_be_visible()
    await shoot(page, shots_dir / "upload.png", scheme)

    english = await mini_app.open(
        await mini_app.user("Emma", "en"), variant="expired", color_scheme=scheme
    )
    await expect(english.locator("body")).to_have_attribute("data-state", "noMax")
    await shoot(english, shots_dir / "no-max.png", scheme)
    for name in ("gallery", "object", "object-other", "upload", "no-max"):
        assert (shots_dir / f"{name}-{scheme}.png").stat().st_size > 5000


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screens_of_a_trade_the_inbox_and_a_transfer(
    mini_app: MiniApp, shots_dir: Path, scheme: Scheme
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    wanted = await mini_app.upload(anna, 201, "Orchard in bloom")
    await mini_app.upload(anna, 202, "Quiet bay")
    await mini_app.upload(boris, 203, "Old quarry")
    await mini_app.upload(boris, 204, "Sunset harbour")
    page = await mini_app.open(boris, start_param=f"o_{wanted}", color_scheme=scheme)
    await page.locator("#offer-trade").click()
    await page.get_by_role("button", name="Old quarry").click()
    await page.locator("#trade-message").fill("Your orchard for my quarry?")
    await expect(page.locator(".compose .tile img.loaded")).to_have_count(4)
    await shoot(page, shots_dir / "compose.png", scheme, full_page=True)
    await page.locator("#trade-send").click()
    await expect(page.locator("#trade-status")).to_have_text("Waiting")

    inbox = await mini_app.open(anna, color_scheme=scheme)
    await inbox.locator("#tabs .tab-inbox").click()
    await expect(inbox.locator("#inbox-list .row img.loaded")).to_have_count(1)
    await shoot(inbox, shots_dir / "inbox.png", scheme)
    await inbox.locator("#inbox-list .row-button").click()
    await expect(inbox.locator("#trade-accept")).to_be_visible()
    await shoot(inbox, shots_dir / "trade.png", scheme, full_page=True)

    owner = await mini_app.open(anna, start_param=f"o_{wanted}", color_scheme=scheme)
    async with owner.expect_response("**/api/transfers") as created:
        await owner.locator("#make-transfer").click()
    token = (await (await created.value).json())["token"]
    await expect(owner.locator("#transfer-qr")).to_be_visible()
    await shoot(owner, shots_dir / "transfer-qr.png", scheme)
    claim = await mini_app.open(boris, start_param=f"t_{token}", color_scheme=scheme)
    await expect(claim.locator(".object-hero img.loaded")).to_have_count(1)
    await shoot(claim, shots_dir / "claim.png", scheme)
    for name in ("compose", "inbox", "trade", "transfer-qr", "claim"):
        assert (shots_dir / f"{name}-{scheme}.png").stat().st_size > 5000


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_screens_of_the_sandbox_chat(
    browser: Browser, sandbox: RunningSandbox, shots_dir: Path, scheme: Scheme
) -> None:
    user = await sandbox.control.create_user("Dev", language_code="en")
    user_id = user["user"]["user_id"]
    await sandbox.control.send_text(user_id, "/my")
    keyboard = {"type": "inline_keyboard", "payload": {"buttons": [
        [{"type": "callback", "text": "1. Orchard in bloom", "payload": "a"}],
        [{"type": "callback", "text": "Next ▶", "payload": "b"}],
        [{"type": "link", "text": "Open the gallery", "url": "https://example.com/"}],
    ]}}  # fmt: skip
    async with httpx.AsyncClient(
        base_url=sandbox.base_url, headers={"Authorization": sandbox.token}
    ) as api:
        sent = await api.post(
            "/messages", params={"user_id": user_id},
            json={"text": "<b>Your objects (1)</b>, page 1 of 1:\n1. «Orchard in bloom»",
                  "format": "html", "attachments": [keyboard]},
        )  # fmt: skip
        assert sent.status_code == 200, sent.text
    context = await browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = await context.new_page()
    try:
        await page.goto(f"{sandbox.base_url}/_sandbox/")
        await page.click(".user-row")
        await expect(page.locator(".kb button")).to_have_count(3)
        background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == BACKGROUND[scheme]
        await page.screenshot(path=shots_dir / f"sandbox-chat-{scheme}.png")
    finally:
        await context.close()
