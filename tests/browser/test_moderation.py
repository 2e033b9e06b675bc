"""Moderation in the mini-app: the report dialog on an object page, and the operators' screen
(open reports, hiding with a reason, the audit) with the hidden object gone for everyone else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from config.settings import Settings
from tests.browser.conftest import MiniApp
from tests.browser.test_profiles import api, photos_shown

OPERATOR = 770_002


@pytest.fixture
def settings(settings: Settings) -> Settings:
    moderation = settings.moderation.model_copy(update={"operators": (OPERATOR,)})
    return settings.model_copy(update={"moderation": moderation})


async def shown(page: Page, selector: str) -> None:
    """Every photo under `selector` loaded and faded in (for a screenshot)."""
    photos = page.locator(f"{selector} img")
    for index in range(await photos.count()):
        await expect(photos.nth(index)).to_have_js_property("complete", True)


async def open_reports(mini_app: MiniApp) -> list[dict[str, Any]]:
    answer = await api(mini_app, OPERATOR, "GET", "/moderation/reports?status=open")
    return list(answer["items"])


async def test_the_report_dialog_sends_a_report_once(mini_app: MiniApp, shots_dir: Path) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    await mini_app.sandbox.control.create_user("Oleg", user_id=OPERATOR, language_code="en")
    object_id = await mini_app.upload(anna, 51, "Harbour")

    owner = await mini_app.open(anna, start_param=f"o_{object_id}")
    await expect(owner.locator("#object-title")).to_have_text("Harbour")
    await expect(owner.locator("#report")).to_have_count(0)  # nobody reports their own

    page = await mini_app.open(boris, start_param=f"o_{object_id}")
    await expect(page.locator("#report")).to_have_text("Report")
    await page.locator("#report").click()
    dialog = page.locator("dialog")
    await expect(dialog.locator("h2")).to_have_text("Report «Harbour»")
    await expect(dialog.locator("legend")).to_have_text("What is wrong?")
    await dialog.get_by_label("Not theirs / stolen").check()
    await dialog.get_by_label("Details (optional)").fill("My photo from 2019 <b>mine</b>")
    await page.screenshot(path=shots_dir / "report-dialog.png")
    await dialog.locator("#report-send").click()
    await expect(page.locator("#toast")).to_have_text("Report sent. Thank you!")
    await expect(dialog).to_have_count(0)
    [report] = await open_reports(mini_app)
    seen = (report["object_id"], report["kind"], report["reason"], report["reporter_id"])
    assert seen == (object_id, "copyright", "My photo from 2019 <b>mine</b>", boris)

    await page.locator("#report").click()
    await dialog.get_by_label("Spam").check()
    await dialog.locator("#report-send").click()
    await expect(page.locator("#toast")).to_have_text(
        "You have already reported this object; the moderators will look at it."
    )
    await page.screenshot(path=shots_dir / "report-again.png")
    assert len(await open_reports(mini_app)) == 1


async def test_the_operator_hides_a_reported_object_and_it_is_gone_for_others(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    await mini_app.sandbox.control.create_user("Oleg", user_id=OPERATOR, language_code="en")
    object_id = await mini_app.upload(anna, 52, "Lighthouse")
    await mini_app.upload(anna, 53, "Dunes")
    report = {"kind": "offensive", "reason": "Rude words <script>x</script>"}
    await api(mini_app, boris, "POST", f"/objects/{object_id}/reports", report)

    plain = await mini_app.open(boris)
    await plain.locator("#tabs .tab-mine").click()
    await expect(plain.locator("#open-settings")).to_be_visible()
    await expect(plain.locator("#open-moderation")).to_have_count(0)

    page = await mini_app.open(OPERATOR)
    await page.locator("#tabs .tab-mine").click()
    await expect(page.locator("#open-moderation")).to_have_text("Moderation")
    await page.screenshot(path=shots_dir / "moderation-entry.png")
    await page.locator("#open-moderation").click()
    await expect(page.locator("#title")).to_have_text("Moderation")
    row = page.locator("#mod-reports .mod-report")
    await expect(row).to_have_count(1)
    await expect(row.locator(".row-title")).to_have_text("«Lighthouse»")
    await expect(row.locator(".row-sub")).to_have_text(["Owner: Anna", "Reports: 1 · Offensive"])
    await expect(row.locator(".mod-reasons li")).to_have_text(
        ["Boris: Rude words <script>x</script>"]
    )
    await shown(page, "#mod-reports")
    await page.screenshot(path=shots_dir / "moderation-reports.png")

    await row.locator("[data-action=hide]").click()
    dialog = page.locator("dialog")
    await expect(dialog.locator("h2")).to_have_text("Why hide «Lighthouse»?")
    await dialog.get_by_label("Offensive").check()
    await expect(dialog.locator("form")).not_to_contain_text("null")
    await page.screenshot(path=shots_dir / "moderation-hide-reason.png")
    await dialog.locator("#reason-confirm").click()
    await expect(page.locator("#toast")).to_have_text("Hidden")
    await expect(page.locator(".center-state h2")).to_have_text("No open reports")

    await page.locator("#mod-audit-tab").click()
    entry = page.locator("#mod-audit .mod-audit")
    await expect(entry.locator(".row-title")).to_have_text(
        [f"Operator #{OPERATOR} hid object #{object_id}"]
    )
    await expect(entry.locator("[data-action=restore]")).to_be_visible()
    await page.screenshot(path=shots_dir / "moderation-audit.png")

    other = await mini_app.open(boris)
    await expect(other.locator(".grid .tile")).to_have_count(1)
    await expect(other.locator(".tile-caption")).to_have_text(["Dunes"])
    await photos_shown(other, 1)
    await other.screenshot(path=shots_dir / "moderation-gallery-for-others.png")
    gone = await mini_app.open(boris, start_param=f"o_{object_id}")
    await expect(gone.locator(".center-state h2")).to_have_text("Not found")
    await gone.screenshot(path=shots_dir / "moderation-gone-for-others.png")
    owner = await mini_app.open(anna, start_param=f"o_{object_id}")
    await expect(owner.locator("#object-title")).to_have_text("Lighthouse")


async def test_a_russian_operator_bans_and_unbans_the_owner(
    mini_app: MiniApp, shots_dir: Path
) -> None:
    anna, boris = await mini_app.user("Анна", "ru"), await mini_app.user("Борис", "ru")
    await mini_app.sandbox.control.create_user("Олег", user_id=OPERATOR, language_code="ru")
    object_id = await mini_app.upload(anna, 54, "Маяк")
    report = {"kind": "spam", "reason": "spam"}
    await api(mini_app, boris, "POST", f"/objects/{object_id}/reports", report)

    page = await mini_app.open(OPERATOR, start_param="mod")  # the bot's Moderation button
    await expect(page.locator("#title")).to_have_text("Модерация")
    row = page.locator("#mod-reports .mod-report")
    await expect(row.locator(".row-sub")).to_have_text(["Владелец: Анна", "Жалоб: 1 · Спам"])
    await expect(row.locator(".mod-reasons li")).to_have_text(["Борис: Спам"])
    await expect(row.locator(".row-actions .button")).to_have_text(
        ["Скрыть", "Отклонить", "Бан автора"]
    )
    await shown(page, "#mod-reports")
    await page.screenshot(path=shots_dir / "moderation-reports-ru.png")

    await row.locator("[data-action=ban]").click()
    dialog = page.locator("dialog")
    await expect(dialog.locator("h2")).to_have_text("Почему заблокировать: Анна?")
    await dialog.get_by_label("Причина своими словами").fill("Реклама в каждом фото")
    await dialog.locator("#reason-kind-spam").check()
    await dialog.locator("#reason-confirm").click()
    await expect(page.locator("#toast")).to_have_text("Заблокирован(а)")
    other = await mini_app.open(boris)
    await expect(other.locator(".center-state h2")).to_have_text("Галерея пуста")
    blocked = await mini_app.open(anna)
    await expect(blocked.locator(".center-state h2")).to_have_text("Аккаунт заблокирован")
    await expect(blocked.locator(".center-state p")).to_have_text(
        "Модераторы заблокировали этот аккаунт. Причина — в чате с ботом."
    )
    await blocked.screenshot(path=shots_dir / "banned-ru.png")

    await page.locator("#mod-audit-tab").click()
    entry = page.locator("#mod-audit .mod-audit")
    await expect(entry.locator(".row-title")).to_have_text(
        [f"Оператор №{OPERATOR} заблокировал(а) человека №{anna}"]
    )
    await expect(entry.locator(".row-sub").first).to_have_text("Реклама в каждом фото")
    await entry.locator("[data-action=unban]").click()
    await expect(dialog.locator("h2")).to_have_text(f"Почему разблокировать: #{anna}?")
    await page.screenshot(path=shots_dir / "moderation-unban-ru.png")
    await dialog.locator("#reason-confirm").click()  # a reason is required: nothing sent
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("Причина своими словами").fill("Исправилась")
    await dialog.locator("#reason-confirm").click()
    await expect(page.locator("#toast")).to_have_text("Разблокирован(а)")
    await expect(entry.locator(".row-title")).to_have_text([
        f"Оператор №{OPERATOR} разблокировал(а) человека №{anna}",
        f"Оператор №{OPERATOR} заблокировал(а) человека №{anna}",
    ])  # fmt: skip
    await expect(entry.locator("[data-action=unban]")).to_have_count(0)  # nothing to undo now
    await page.screenshot(path=shots_dir / "moderation-audit-ru.png")
    again = await mini_app.open(boris)
    await expect(again.locator(".tile-caption")).to_have_text(["Маяк"])
