"""The mini-app's Share: the card drawn by the server, MAX's share and copying the link, in light
and dark; and an object link to what I may not see. Screenshots: BROWSER_SHOTS=<dir>."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path
from typing import Literal

import zxingcpp
from PIL import Image
from playwright.async_api import Page, expect

from tests.bot.helpers import wait_for_bot_messages
from tests.browser.conftest import MiniApp
from tests.profiles.conftest import set_privacy
from tests.webapp.helpers import login


async def test_share_sheet_shows_the_card_and_shares_it(mini_app: MiniApp, shots_dir: Path) -> None:
    anna, boris = await mini_app.user("Анна", "ru"), await mini_app.user("Boris", "en")
    object_id = await mini_app.upload(anna, 31, "Закат над Невой")
    bot = mini_app.sandbox.state.config.bot_username
    link = f"https://max.ru/{bot}?startapp=o_{object_id}"
    schemes: tuple[Literal["light", "dark"], ...] = ("light", "dark")
    for scheme in schemes:
        page = await mini_app.open(boris, start_param=f"o_{object_id}", color_scheme=scheme)
        await expect(page.locator(".object-hero img.loaded")).to_have_count(1)
        await page.locator("#share").scroll_into_view_if_needed()
        await page.screenshot(path=shots_dir / f"object-share-button-{scheme}.png")
        await page.locator("#share").click()
        image = page.locator("#share-card-image")
        await expect(image).to_be_visible()
        await page.wait_for_function("document.querySelector('#share-card-image').naturalWidth > 0")
        await expect(page.locator("#share-link")).to_have_value(link)
        await expect(page.locator("#share-native")).to_have_count(0)  # not on the web client
        await page.screenshot(path=shots_dir / f"share-sheet-{scheme}.png")
        await page.locator("#share-max").click()
        shared = await shares(page, 1)
        assert shared == [{"via": "max", "text": "«Закат над Невой»", "link": link}]
        await page.locator("#share-close").click()
        await expect(page.locator("dialog.share-sheet")).to_have_count(0)
    card_url = await image_url(mini_app, boris, object_id)
    response = await mini_app.client.get(card_url)
    card = Image.open(io.BytesIO(await response.read()))
    card.save(shots_dir / "card.png")
    [barcode] = zxingcpp.read_barcodes(card)
    assert barcode.text == link


async def shares(page: Page, count: int) -> list[dict[str, str]]:
    """What the bridge stand-in was asked to share, once it was asked `count` times."""
    for _ in range(100):
        shared: list[dict[str, str]] | None = await page.evaluate("window.sandboxShared")
        if shared is not None and len(shared) >= count:
            return shared
        await asyncio.sleep(0.05)
    raise AssertionError("nothing was shared")


async def image_url(mini_app: MiniApp, user_id: int, object_id: int) -> str:
    who = await login(mini_app.client, mini_app.sandbox, user_id=user_id)
    response = await mini_app.client.get(f"/api/objects/{object_id}/card", headers=who.headers)
    return str((await response.json())["url"])


async def test_copy_link_copies_it(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "en")
    object_id = await mini_app.upload(anna, 32, "Harbour")
    page = await mini_app.open(anna, start_param=f"o_{object_id}")
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await page.locator("#share").click()
    await expect(page.locator("#share-copy")).to_be_visible()
    await page.locator("#share-copy").click()
    await expect(page.locator("#toast")).to_have_text("Link copied")
    copied = await page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(f"?startapp=o_{object_id}")


async def test_an_object_link_i_may_not_see_offers_to_ask(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, sam = await mini_app.user("Anna", "en"), await mini_app.user("Sam", "en")
    object_id = await mini_app.upload(anna, 33, "Secret garden")
    await set_privacy(
        mini_app.client, await login(mini_app.client, mini_app.sandbox, user_id=anna), "approved"
    )
    for wanted in (object_id, object_id + 1000):  # closed, and none at all: one screen
        page = await mini_app.open(sam, start_param=f"o_{wanted}")
        await expect(page.get_by_role("heading", name="This object can't be shown")).to_be_visible()
        await page.locator("#ask-access").click()
        await expect(page.locator("#toast")).to_have_text(
            "If the object exists and its owner takes requests, they have been asked."
        )
    await page.screenshot(path=shots_dir / "object-locked.png")


async def test_send_in_max_shares_the_bots_card_message_by_its_mid(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    object_id = await mini_app.upload(anna, 34, "Harbour")
    await mini_app.sandbox.control.start_bot(boris)  # Boris has a chat with the bot
    greeting = await wait_for_bot_messages(mini_app.sandbox.control, boris)
    page = await mini_app.open(boris, start_param=f"o_{object_id}")
    await page.locator("#share").click()
    await expect(page.locator("#share-link")).not_to_have_value("")
    await page.locator("#share-max").click()
    [shared] = await shares(page, 1)
    messages = await wait_for_bot_messages(mini_app.sandbox.control, boris, len(greeting) + 1)
    card = messages[-1]
    bot = mini_app.sandbox.state.config.bot_username
    assert shared == {"via": "max", "mid": card["mid"], "chatType": "DIALOG"}
    assert card["text"] == f"https://max.ru/{bot}?startapp=o_{object_id}"
    assert [a["type"] for a in card["attachments"]] == ["image"]
