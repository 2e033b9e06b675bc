"""The sandbox's developer chat plays a group chat: pick who you are and which group, read
everyone's messages with their names, reply to one, post a command, see the bot answer."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, ConsoleMessage

from sandbox.runner import RunningSandbox
from tests.browser.artworks import artwork_jpeg
from tests.groups.helpers import BOT, group_with_bot, person, wait_for_group_messages

Client = TestClient[web.Request, web.Application]


async def test_a_group_conversation_in_the_developer_chat(
    client: Client, sandbox: RunningSandbox, browser: Browser, shots_dir: Path
) -> None:
    control = sandbox.control
    ann = await person(sandbox, "Ann")
    bob = await person(sandbox, "Bob")
    chat_id = await group_with_bot(sandbox, ann, bob)
    photo = await control.send_group_photos(chat_id, ann, [artwork_jpeg(3)], caption="Harbour")
    await control.send_group_text(chat_id, bob, "Lovely colours!")
    await control.send_group_text(chat_id, ann, f"/add@{BOT}", reply_to=photo["mid"])
    await wait_for_group_messages(control, chat_id, 2)

    page = await browser.new_page(viewport={"width": 1100, "height": 1250})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(f"{m.text} {m.location}") if _is_error(m) else None)
    try:
        await page.goto(f"{sandbox.base_url}/_sandbox/")
        await page.locator(".user-row", has_text="Bob").first.click()
        await page.locator(".group-row", has_text="Photo club").click()
        await page.locator("#chat-head", has_text="Photo club").wait_for()
        assert await page.locator("#chat-head").inner_text() == "Photo club · Ann, Bob, the bot"
        added = page.locator(".msg.bot", has_text="«Harbour» is now in Ann's gallery.")
        await added.wait_for()
        # Bob replies to Ann's photo through the page, then asks the bot for help
        await page.locator(".msg.other", has_text="Harbour").first.locator("button.reply").click()
        assert "Replying to Ann" in await page.locator("#replying").inner_text()
        await page.fill("#text", "Where was it taken?")
        await page.click("#composer > button")
        await page.locator(".msg.user", has_text="Where was it taken?").wait_for()
        await page.fill("#text", f"/help@{BOT}")
        await page.click("#composer > button")
        await page.locator(".msg.bot", has_text="Here I answer only").wait_for()
        mine = page.locator(".msg.user")
        assert await mine.count() == 3  # as Bob: his chatter, his reply, his command
        reply = await mine.nth(1).inner_text()
        assert "Ann" in reply
        assert "Harbour" in reply  # the quote of the photo's caption
        assert "Where was it taken?" in reply
        metas = await page.locator(".msg .meta:first-child").all_inner_texts()
        assert [m.split(" · ")[0] for m in metas[:4]] == ["Gallery", "Ann", "Bob", "Ann"]
        await page.screenshot(path=shots_dir / "sandbox-group-light.png")
    finally:
        await page.close()
    assert errors == []


def _is_error(message: ConsoleMessage) -> bool:
    # the sandbox serves no favicon (its Bot API guard answers 401): not this page's fault
    return message.type == "error" and not message.location["url"].endswith("/favicon.ico")
