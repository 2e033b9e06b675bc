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
from tests.webapp.helpers import login

OPERATOR = 770_002
HOSTILE = '<img src=x onerror="alert(1)">Eve'


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
    await expect(entry.locator(".row-title")).to_have_text(["Oleg hid «Lighthouse»"])
    await expect(entry.locator("[data-action=restore]")).to_be_visible()
    await page.screenshot(path=shots_dir / "moderation-audit.png")

    other = await mini_app.open(boris)
    await expect(other.locator(".grid .tile")).to_have_count(1)
    await expect(other.locator(".tile-caption")).to_have_text(["Dunes"])
    await photos_shown(other, 1)
    await other.screenshot(path=shots_dir / "moderation-gallery-for-others.png")
    gone = await mini_app.open(boris, start_param=f"o_{object_id}")
    # the one screen for a hidden object, a closed collection and no object (tests/cards)
    await expect(gone.locator(".center-state h2")).to_have_text("This object can't be shown")
    await gone.screenshot(path=shots_dir / "moderation-gone-for-others.png")
    owner = await mini_app.open(anna, start_param=f"o_{object_id}")
    await expect(owner.locator("#object-title")).to_have_text("Lighthouse")
    notice = owner.locator("#hidden-notice")  # the owner alone sees it, and why
    await expect(notice).to_have_text("Hidden by the moderators: OffensiveOnly you can see it now.")
    await shown(owner, ".object-hero")
    await expect(owner.locator("#edit")).to_be_visible()
    await expect(owner.locator("#make-transfer")).to_have_count(0)  # it cannot change hands
    await owner.screenshot(path=shots_dir / "moderation-hidden-notice.png")


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
    await expect(entry.locator(".row-title")).to_have_text(["Олег заблокировал(а): Анна"])
    await expect(entry.locator(".row-sub").first).to_have_text("Реклама в каждом фото")
    await entry.locator("[data-action=unban]").click()
    await expect(dialog.locator("h2")).to_have_text("Почему разблокировать: Анна?")
    await page.screenshot(path=shots_dir / "moderation-unban-ru.png")
    await dialog.locator("#reason-confirm").click()  # a reason is required: nothing sent
    await expect(dialog).to_be_visible()
    await dialog.get_by_label("Причина своими словами").fill("Исправилась")
    await dialog.locator("#reason-confirm").click()
    await expect(page.locator("#toast")).to_have_text("Разблокирован(а)")
    await expect(entry.locator(".row-title")).to_have_text(
        ["Олег разблокировал(а): Анна", "Олег заблокировал(а): Анна"]
    )
    await expect(entry.locator("[data-action=unban]")).to_have_count(0)  # nothing to undo now
    await page.screenshot(path=shots_dir / "moderation-audit-ru.png")
    again = await mini_app.open(boris)
    await expect(again.locator(".tile-caption")).to_have_text(["Маяк"])
    hide = {"reason": "spam"}  # a kind, as the chat's quick buttons send it
    await api(mini_app, OPERATOR, "POST", f"/moderation/objects/{object_id}/hide", hide)
    owner = await mini_app.open(anna, start_param=f"o_{object_id}")
    notice = owner.locator("#hidden-notice")
    await expect(notice.locator(".mod-notice-line")).to_have_text("Скрыто модераторами: Спам")
    await expect(notice).to_contain_text("Сейчас его видите только вы.")
    await shown(owner, ".object-hero")
    await owner.screenshot(path=shots_dir / "moderation-hidden-notice-ru.png")


async def test_names_titles_and_reasons_stay_text(mini_app: MiniApp, shots_dir: Path) -> None:
    eve = await mini_app.user(HOSTILE, "en")
    oleg = "Oleg <i>op</i>"
    await mini_app.sandbox.control.create_user(oleg, user_id=OPERATOR, language_code="en")
    kept = await mini_app.upload(eve, 55, "<b>Tower</b>")
    gone = await mini_app.upload(eve, 56, "Shed")
    reason = "<script>alert(1)</script> not <em>yours</em>"
    for object_id in (kept, gone):
        hide = {"reason": reason}
        await api(mini_app, OPERATOR, "POST", f"/moderation/objects/{object_id}/hide", hide)
    headers = (await login(mini_app.client, mini_app.sandbox, user_id=eve)).headers
    assert (await mini_app.client.delete(f"/api/objects/{gone}", headers=headers)).status == 204

    owner = await mini_app.open(eve, start_param=f"o_{kept}")
    notice = owner.locator("#hidden-notice")
    line = notice.locator(".mod-notice-line")
    await expect(line).to_have_text(f"Hidden by the moderators: {reason}")
    await expect(owner.locator("#object-title")).to_have_text("<b>Tower</b>")
    await expect(owner.locator("article script, article em, article b")).to_have_count(0)
    await shown(owner, ".object-hero")
    await owner.screenshot(path=shots_dir / "moderation-hidden-notice-hostile.png")

    await api(mini_app, OPERATOR, "POST", f"/moderation/users/{eve}/ban", {"reason": "spam"})
    page = await mini_app.open(OPERATOR, start_param="mod")
    await page.locator("#mod-audit-tab").click()
    entry = page.locator("#mod-audit .mod-audit")
    await expect(entry.locator(".row-title")).to_have_text([
        f"{oleg} banned {HOSTILE}",
        f"{oleg} hid a deleted object (#{gone})",
        f"{oleg} hid «<b>Tower</b>»",
    ])  # fmt: skip
    await expect(page.locator("#mod-audit :is(img, i, b, em, script)")).to_have_count(0)
    await expect(entry.nth(1).locator("[data-action]")).to_have_count(0)  # nothing to restore
    await page.screenshot(path=shots_dir / "moderation-audit-hostile.png")
    await entry.nth(2).locator("[data-action=restore]").click()
    await expect(page.locator("dialog h2")).to_have_text("Why restore «<b>Tower</b>»?")
