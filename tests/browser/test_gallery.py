"""Logging in, the gallery grid, search, favourites and the start param that opens an object."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from config.limits import Rate
from config.settings import Settings
from tests.browser.conftest import MiniApp


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A page and a half of photos is seeded in seconds: more than a person may upload in a
    minute (tests/limits holds the limits themselves)."""
    roomy = Rate(person=1000, address=1000)
    return settings.model_copy(
        update={"limits": settings.limits.model_copy(update={"upload": roomy})}
    )


async def tile_titles(page: Page) -> list[str]:
    titles: list[str] = await page.locator(".grid .tile").evaluate_all(
        "tiles => tiles.map(t => t.getAttribute('aria-label'))"
    )
    return titles


async def test_login_shows_the_empty_gallery_in_the_person_s_language(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "ru")
    page = await mini_app.open(anna)
    await expect(page.locator("body")).to_have_attribute("data-state", "ready")
    await expect(page.locator("html")).to_have_attribute("lang", "ru")
    await expect(page.locator("#title")).to_have_text("Галерея")
    await expect(page.get_by_role("heading", name="Галерея пуста")).to_be_visible()
    await expect(page.locator("#tabs .tab[aria-current=page]")).to_have_text("Галерея")


async def test_an_english_speaker_gets_english(mini_app: MiniApp) -> None:
    page = await mini_app.open(await mini_app.user("Emma", "en"))
    await expect(page.get_by_role("heading", name="The gallery is empty")).to_be_visible()
    await expect(page.locator("#tabs")).to_contain_text("Favourites")


async def test_the_grid_shows_objects_newest_first_with_placeholders(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "en")
    for seed, title in enumerate(["Dawn", "Harbour", "Pines"]):
        await mini_app.upload(anna, seed, title)
    page = await mini_app.open(anna)
    await expect(page.locator(".grid .tile")).to_have_count(3)
    assert await tile_titles(page) == ["Pines", "Harbour", "Dawn"]
    placeholders = await page.locator(".grid .tile").evaluate_all(
        "tiles => tiles.map(t => t.style.backgroundImage.startsWith('url(\"data:image/png'))"
    )
    assert placeholders == [True, True, True]
    await expect(page.locator(".grid .tile img.loaded")).to_have_count(3)


async def test_search_narrows_the_grid_and_says_when_nothing_matches(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "en")
    await mini_app.upload(anna, 1, "Морской закат", "волны и солнце")
    await mini_app.upload(anna, 2, "Forest path", "tall pines in fog")
    page = await mini_app.open(anna)
    await expect(page.locator(".grid .tile")).to_have_count(2)
    search = page.get_by_role("searchbox", name="Search the gallery")
    await search.fill("pines")
    await search.press("Enter")
    await expect(page.locator(".grid .tile")).to_have_count(1)
    assert await tile_titles(page) == ["Forest path"]
    await search.fill("солнце")
    await expect(page.locator(".grid .tile")).to_have_text(["Морской закат"])
    await search.fill("zebra")
    await expect(page.get_by_role("heading", name="Nothing found")).to_be_visible()


async def test_a_tile_opens_the_object_and_back_returns_to_the_grid(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "en")
    await mini_app.upload(anna, 3, "Harbour", "boats at rest")
    page = await mini_app.open(anna)
    await page.get_by_role("button", name="Harbour").click()
    await expect(page.locator("#object-title")).to_have_text("Harbour")
    await expect(page.locator(".object-description")).to_have_text("boats at rest")
    await expect(page.locator(".person-name")).to_have_text("Anna")
    await expect(page.locator(".object-hero img")).to_have_attribute("alt", "Harbour")
    await expect(page.locator(".timeline li")).to_have_count(1)
    await page.get_by_role("button", name="Back").click()
    await expect(page.locator(".grid .tile")).to_have_count(1)


async def test_favourite_toggles_with_its_count(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    object_id = await mini_app.upload(anna, 4, "Pines")
    page = await mini_app.open(boris, start_param=f"o_{object_id}")
    heart = page.locator("#favorite")
    await expect(heart).to_have_attribute("aria-pressed", "false")
    await expect(heart).to_have_text("0")
    await heart.click()
    await expect(heart).to_have_attribute("aria-pressed", "true")
    await expect(heart).to_have_text("1")
    await page.get_by_role("button", name="Favourites", exact=True).click()
    await expect(page.locator(".grid .tile")).to_have_text(["Pines"])
    await page.get_by_role("button", name="Pines").click()
    await page.locator("#favorite").click()
    await expect(page.locator("#favorite")).to_have_attribute("aria-pressed", "false")
    await page.get_by_role("button", name="Back").click()
    await expect(page.get_by_role("heading", name="No favourites yet")).to_be_visible()


async def test_start_param_opens_that_object(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "ru")
    await mini_app.upload(anna, 5, "Первый")
    second = await mini_app.upload(anna, 6, "Второй")
    page = await mini_app.open(anna, start_param=f"o_{second}")
    await expect(page.locator("#object-title")).to_have_text("Второй")
    await expect(page.locator("#back")).to_be_visible()
    await page.locator("#back").click()
    await expect(page.locator(".grid .tile")).to_have_count(2)


async def test_start_param_of_a_missing_object_says_so(mini_app: MiniApp) -> None:
    page = await mini_app.open(await mini_app.user("Emma", "en"), start_param="o_999999")
    # the same screen as for an object in a closed collection (tests/cards)
    await expect(page.get_by_role("heading", name="This object can't be shown")).to_be_visible()


async def test_start_param_of_a_person_shows_only_their_collection(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    await mini_app.upload(anna, 8, "Anna's dune")
    await mini_app.upload(boris, 9, "Boris's reef")
    page = await mini_app.open(boris, start_param=f"u_{anna}")
    await expect(page.locator("#profile-name")).to_have_text("Anna")
    await expect(page.locator(".grid .tile")).to_have_text(["Anna's dune"])
    await page.locator(".grid .tile").click()
    await page.locator(".person").click()
    await expect(page.locator("#profile-name")).to_have_text("Anna")
    await expect(page.locator(".grid .tile")).to_have_text(["Anna's dune"])


async def test_scrolling_to_the_end_loads_the_next_page(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "en")
    for seed in range(31):
        await mini_app.upload(anna, 300 + seed, f"Study {seed}")
    page = await mini_app.open(anna)
    await page.locator(".grid .tile").last.scroll_into_view_if_needed()
    await page.mouse.wheel(0, 5000)
    await expect(page.locator(".grid .tile")).to_have_count(31)
    assert (await tile_titles(page))[-1] == "Study 0"
    pages = [call for call in mini_app.api_calls if call.startswith("GET /objects?")]
    assert len(pages) == 2
    assert "cursor=" not in pages[0]
    assert "cursor=" in pages[1]
