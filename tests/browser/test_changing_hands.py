"""Objects changing hands in the mini-app: a QR transfer shown, scanned and claimed only on an
explicit "Accept", and a trade composed, found in the inbox and accepted."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Dialog, Page, expect

from tests.browser.conftest import MiniApp
from tests.webapp.helpers import login


async def show_transfer_qr(page: Page) -> str:
    """The owner's "Hand over by QR"; returns the token the server handed out once."""
    async with page.expect_response("**/api/transfers") as created:
        await page.locator("#make-transfer").click()
    body = await (await created.value).json()
    await expect(page.locator("#transfer-qr")).to_be_visible()
    width = await page.locator("#transfer-qr").evaluate("img => img.complete && img.naturalWidth")
    assert width > 100
    return str(body["token"])


async def test_a_transfer_qr_is_claimed_only_after_an_explicit_accept(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    object_id = await mini_app.upload(anna, 21, "Lighthouse")
    owner_page = await mini_app.open(anna, start_param=f"o_{object_id}")
    token = await show_transfer_qr(owner_page)

    page = await mini_app.open(boris, start_param=f"t_{token}")
    await expect(page.locator("#claim-question")).to_have_text("Accept «Lighthouse» from Anna?")
    viewed = await mini_app.client.get(f"/api/objects/{object_id}")
    assert (await viewed.json())["owner"]["name"] == "Anna"
    await page.locator("#claim-accept").click()
    await expect(page.locator("#object-title")).to_have_text("Lighthouse")
    await expect(page.locator(".person-name")).to_have_text("Boris")
    await expect(page.locator(".timeline li")).to_have_count(2)

    again = await mini_app.open(await mini_app.user("Carol", "en"), start_param=f"t_{token}")
    await expect(
        again.get_by_role("heading", name="This transfer cannot be accepted")
    ).to_be_visible()
    await expect(again.locator(".center-state p")).to_have_text(
        "Someone has already accepted this transfer."
    )


async def test_scanning_a_code_opens_the_confirmation(mini_app: MiniApp) -> None:
    anna, boris = await mini_app.user("Anna", "ru"), await mini_app.user("Борис", "ru")
    object_id = await mini_app.upload(anna, 22, "Маяк")
    token = await show_transfer_qr(await mini_app.open(anna, start_param=f"o_{object_id}"))
    page = await mini_app.open(boris)

    async def answer_scanner(dialog: Dialog) -> None:
        await dialog.accept(f"https://max.ru/gallery_bot?start=t_{token}")

    page.once("dialog", answer_scanner)
    await page.locator("#scan").click()
    await expect(page.locator("#claim-question")).to_have_text("Принять «Маяк» от Anna?")


async def test_a_trade_is_composed_found_in_the_inbox_and_accepted(
    mini_app: MiniApp,
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    wanted = await mini_app.upload(anna, 23, "Orchard")
    await mini_app.upload(boris, 24, "Quarry")
    page = await mini_app.open(boris, start_param=f"o_{wanted}")
    await page.locator("#offer-trade").click()
    await expect(page.locator(f'#pick-take + .grid [data-object-id="{wanted}"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    await page.get_by_role("button", name="Quarry").click()
    await page.locator("#trade-message").fill("a fair deal?")
    await page.locator("#trade-send").click()
    await expect(page.locator("#trade-status")).to_have_text("Waiting")

    inbox = await mini_app.open(anna)
    await inbox.locator("#tabs .tab-inbox").click()
    await expect(inbox.locator("#inbox-list .row-title")).to_have_text(["Trade from Boris"])
    await inbox.locator("#inbox-list .row-button").click()
    await expect(inbox.locator(".message")).to_have_text("a fair deal?")
    await inbox.locator("#trade-accept").click()
    await inbox.locator("#confirm-yes").click()
    await expect(inbox.locator("#trade-status")).to_have_text("Accepted")
    await inbox.locator("#tabs .tab-mine").click()
    await expect(inbox.locator(".grid .tile")).to_have_text(["Quarry"])


async def test_a_trade_whose_bait_was_deleted_shows_it_void_and_only_as_proposed(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    """Boris offers «Bait» for Anna's «Orchard», then deletes it: Anna's inbox says the trade
    is no longer valid, the line keeps the title she was shown, and there is nothing to accept."""
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    wanted = await mini_app.upload(anna, 25, "Orchard")
    bait = await mini_app.upload(boris, 26, "Bait")
    proposer = await login(mini_app.client, mini_app.sandbox, user_id=boris)
    trade = {"recipient_id": anna, "give": [bait], "take": [wanted]}
    made = await mini_app.client.post("/api/trades", json=trade, headers=proposer.headers)
    assert made.status == 201
    deleted = await mini_app.client.delete(f"/api/objects/{bait}", headers=proposer.headers)
    assert deleted.status == 204

    inbox = await mini_app.open(anna)
    await inbox.locator("#tabs .tab-inbox").click()
    await expect(inbox.locator("#inbox-list .row-sub").nth(1)).to_have_text("No longer valid")
    await inbox.locator("#inbox-list .row-button").click()
    await expect(inbox.locator("#trade-status")).to_have_text("No longer valid")
    hidden = inbox.locator('li[data-hidden="true"]')
    await expect(hidden.locator(".row-title")).to_have_text("Bait")
    await expect(hidden.locator(".row-sub")).to_have_text("No longer visible to you")
    await expect(inbox.locator("#trade-accept")).to_have_count(0)
    await inbox.screenshot(path=shots_dir / "trade-void.png", full_page=True)
