"""Screenshots of the main screens, to look at: set BROWSER_SHOTS=<dir> to keep them."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from tests.browser.conftest import MiniApp

TITLES = ["Рассвет над заливом", "Sunset harbour", "Сосновый лес", "Old quarry", "Маяк",
          "Orchard in bloom", "Поле", "Quiet bay"]  # fmt: skip


async def test_screens_of_the_gallery_an_object_and_the_upload_form(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, boris = await mini_app.user("Anna", "ru"), await mini_app.user("Борис", "ru")
    ids = [await mini_app.upload(anna if i % 3 else boris, 100 + i, title, "Акварельное утро")
           for i, title in enumerate(TITLES)]  # fmt: skip
    page = await mini_app.open(anna)
    await expect(page.locator(".grid .tile img.loaded")).to_have_count(len(TITLES))
    await page.screenshot(path=shots_dir / "gallery.png")

    await page.get_by_role("button", name=TITLES[-1]).click()
    await expect(page.locator(".object-hero img.loaded")).to_have_count(1)
    await page.locator("#favorite").click()
    await expect(page.locator("#favorite")).to_have_attribute("aria-pressed", "true")
    await page.screenshot(path=shots_dir / "object.png", full_page=True)

    other = await mini_app.open(boris, start_param=f"o_{ids[1]}")
    await expect(other.locator(".object-hero img.loaded")).to_have_count(1)
    await other.screenshot(path=shots_dir / "object-other.png", full_page=True)

    await page.locator("#tabs .tab-upload").click()
    await expect(page.locator("#upload-submit")).to_be_visible()
    await page.screenshot(path=shots_dir / "upload.png")

    dark = await mini_app.open(anna, start_param=f"o_{ids[2]}", color_scheme="dark")
    await expect(dark.locator(".object-hero img.loaded")).to_have_count(1)
    await dark.screenshot(path=shots_dir / "object-dark.png")

    english = await mini_app.open(await mini_app.user("Emma", "en"), variant="expired")
    await expect(english.locator("body")).to_have_attribute("data-state", "noMax")
    await english.screenshot(path=shots_dir / "no-max.png")
    for name in ("gallery", "object", "object-other", "object-dark", "upload", "no-max"):
        assert (shots_dir / f"{name}.png").stat().st_size > 5000


async def test_screens_of_a_trade_the_inbox_and_a_transfer(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    wanted = await mini_app.upload(anna, 201, "Orchard in bloom")
    await mini_app.upload(anna, 202, "Quiet bay")
    await mini_app.upload(boris, 203, "Old quarry")
    await mini_app.upload(boris, 204, "Sunset harbour")
    page = await mini_app.open(boris, start_param=f"o_{wanted}")
    await page.locator("#offer-trade").click()
    await page.get_by_role("button", name="Old quarry").click()
    await page.locator("#trade-message").fill("Your orchard for my quarry?")
    await expect(page.locator(".compose .tile img.loaded")).to_have_count(4)
    await page.screenshot(path=shots_dir / "compose.png", full_page=True)
    await page.locator("#trade-send").click()
    await expect(page.locator("#trade-status")).to_have_text("Waiting")

    inbox = await mini_app.open(anna)
    await inbox.locator("#tabs .tab-inbox").click()
    await expect(inbox.locator("#inbox-list .row img.loaded")).to_have_count(1)
    await inbox.screenshot(path=shots_dir / "inbox.png")
    await inbox.locator("#inbox-list .row-button").click()
    await expect(inbox.locator("#trade-accept")).to_be_visible()
    await inbox.screenshot(path=shots_dir / "trade.png", full_page=True)

    owner = await mini_app.open(anna, start_param=f"o_{wanted}")
    async with owner.expect_response("**/api/transfers") as created:
        await owner.locator("#make-transfer").click()
    token = (await (await created.value).json())["token"]
    await expect(owner.locator("#transfer-qr")).to_be_visible()
    await owner.screenshot(path=shots_dir / "transfer-qr.png")
    claim = await mini_app.open(boris, start_param=f"t_{token}")
    await expect(claim.locator(".object-hero img.loaded")).to_have_count(1)
    await claim.screenshot(path=shots_dir / "claim.png")
    for name in ("compose", "inbox", "trade", "transfer-qr", "claim"):
        assert (shots_dir / f"{name}.png").stat().st_size > 5000
