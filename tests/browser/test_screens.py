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

    english = await mini_app.open(await mini_app.user("Emma", "en"), variant="expired")
    await expect(english.locator("body")).to_have_attribute("data-state", "noMax")
    await english.screenshot(path=shots_dir / "no-max.png")
    for name in ("gallery", "object", "object-other", "upload", "no-max"):
        assert (shots_dir / f"{name}.png").stat().st_size > 5000
