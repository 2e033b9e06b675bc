"""Adding a photo through the form: progress, the new object's page, and refusals in words."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page, expect

from tests.browser.artworks import artwork_jpeg
from tests.browser.conftest import MiniApp


async def fill_upload(page: Page, file: Path, title: str, description: str = "") -> None:
    await page.locator("#tabs .tab-upload").click()
    await page.locator("#upload-file").set_input_files(str(file))
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Description").fill(description)
    await page.locator("#upload-submit").click()


async def test_a_photo_added_in_the_form_opens_and_joins_the_grid(
    mini_app: MiniApp, tmp_path: Path
) -> None:
    file = tmp_path / "lake.jpg"
    file.write_bytes(artwork_jpeg(11))
    page = await mini_app.open(await mini_app.user("Emma", "en"))
    await fill_upload(page, file, "Still lake", "morning, no wind")
    await expect(page.locator("#object-title")).to_have_text("Still lake")
    await expect(page.locator(".object-description")).to_have_text("morning, no wind")
    await expect(page.locator(".object-hero img.loaded")).to_have_count(1)
    await expect(page.locator("#edit")).to_be_visible()
    await page.locator("#back").click()
    await expect(page.locator(".grid .tile")).to_have_text(["Still lake"])
    await page.locator("#tabs .tab-mine").click()
    await expect(page.locator(".grid .tile")).to_have_text(["Still lake"])


async def test_a_duplicate_is_refused_with_the_title_it_is_known_by(
    mini_app: MiniApp, tmp_path: Path
) -> None:
    file = tmp_path / "lake.jpg"
    file.write_bytes(artwork_jpeg(12))
    anna = await mini_app.user("Anna", "ru")
    page = await mini_app.open(anna)
    await mini_app.upload(anna, 12, "Озеро")
    await page.locator("#tabs .tab-upload").click()
    await page.locator("#upload-file").set_input_files(str(file))
    await page.get_by_label("Название").fill("Снова озеро")
    await page.locator("#upload-submit").click()
    await expect(page.locator("#upload-error")).to_have_text(
        "Это фото уже есть в галерее: «Озеро»."
    )


async def test_a_file_that_is_not_a_photo_is_refused_plainly(
    mini_app: MiniApp, tmp_path: Path
) -> None:
    file = tmp_path / "notes.png"
    file.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    page = await mini_app.open(await mini_app.user("Emma", "en"))
    await fill_upload(page, file, "Notes")
    await expect(page.locator("#upload-error")).to_contain_text("not a photo we can read")


async def test_sending_without_a_photo_asks_for_one(mini_app: MiniApp) -> None:
    page = await mini_app.open(await mini_app.user("Emma", "en"))
    await page.locator("#tabs .tab-upload").click()
    await page.locator("#upload-submit").click()
    await expect(page.locator("#upload-error")).to_have_text("Choose a photo first")


async def test_the_owner_renames_and_deletes_an_object(mini_app: MiniApp) -> None:
    emma = await mini_app.user("Emma", "en")
    object_id = await mini_app.upload(emma, 13, "Untitled")
    page = await mini_app.open(emma, start_param=f"o_{object_id}")
    await page.locator("#edit").click()
    await page.locator("#edit-title").fill("Evening glow")
    await page.locator("#edit-description").fill("over the bay")
    await page.locator("#edit-save").click()
    await expect(page.locator("#object-title")).to_have_text("Evening glow")
    await expect(page.locator(".object-description")).to_have_text("over the bay")
    await page.locator("#delete").click()
    await page.locator("#confirm-yes").click()
    await expect(page.get_by_role("heading", name="The gallery is empty")).to_be_visible()
