"""The sandbox's developer chat: a card shared by the bot, forwarded with the chat's Forward
button, shows in the other person's chat as MAX shows a forward. Screenshot: BROWSER_SHOTS."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import httpx
from playwright.async_api import Browser, Dialog, expect

from bot.payloads import encode
from sandbox.runner import RunningSandbox
from tests.bot.helpers import wait_for_bot_messages
from tests.bot.test_photos_chat import jpeg
from tests.cards.test_chat_cards import chat_user
from tests.webapp.helpers import ApiClient


async def test_a_forwarded_card_shows_in_the_other_persons_chat(
    client: ApiClient,
    sandbox: RunningSandbox,
    db: asyncpg.Connection,
    browser: Browser,
    shots_dir: Path,
) -> None:
    anna = await chat_user(sandbox, "Anna")
    bob = await chat_user(sandbox, "Bob")
    await sandbox.control.send_photos(anna, [jpeg(5)], caption="Harbour")
    [card] = await wait_for_bot_messages(sandbox.control, anna)
    object_id: int = await db.fetchval("SELECT id FROM art_objects")
    await sandbox.control.press_button(anna, card["mid"], encode("sh", object_id))
    shared = (await wait_for_bot_messages(sandbox.control, anna, 2))[-1]

    page = await browser.new_page(viewport={"width": 900, "height": 1000})
    try:
        await page.goto(f"{sandbox.base_url}/_sandbox/")

        async def answer(dialog: Dialog) -> None:
            await dialog.accept(str(bob))

        page.on("dialog", answer)
        await page.get_by_text(f"Anna ({anna})").click()
        forward = page.locator(".msg", has_text="forward this card").get_by_role(
            "button", name="Forward"
        )
        await forward.click()
        await page.get_by_text(f"Bob ({bob})").click()
        linked = page.locator(".msg .linked.forward")
        await expect(linked).to_have_count(1)
        await expect(linked.locator(".meta")).to_have_text("↪ Forwarded from Gallery")
        await expect(linked.locator(".text")).to_have_text(shared["text"])
        await expect(linked.locator("img")).to_have_count(1)
        await expect(page.locator(".dialog-head")).to_have_text("Chat with Anna")
        await page.wait_for_function("document.querySelector('.linked img').naturalWidth > 0")
        await page.screenshot(path=shots_dir / "sandbox-forwarded-card.png", full_page=True)
    finally:
        await page.close()


async def test_the_bot_api_takes_a_forward_that_is_all_link(sandbox: RunningSandbox) -> None:
    """POST /messages with only `link: {type: forward, mid}`, as MAX takes it."""
    anna = await chat_user(sandbox, "Anna")
    bob = await chat_user(sandbox, "Bob")
    headers = {"Authorization": sandbox.token}
    async with httpx.AsyncClient(base_url=sandbox.base_url, headers=headers) as api:
        sent = await api.post("/messages", params={"user_id": anna}, json={"text": "card"})
        mid = sent.json()["message"]["body"]["mid"]
        forwarded = await api.post(
            "/messages", params={"user_id": bob}, json={"link": {"type": "forward", "mid": mid}}
        )
        assert forwarded.status_code == 200, forwarded.text
        message = forwarded.json()["message"]
        assert message["body"].get("text") is None
        link = message["link"]
        assert (link["type"], link["message"]["text"], link["sender"]["user_id"]) == (
            "forward", "card", sandbox.state.config.bot_user_id,
        )  # fmt: skip
        empty = await api.post("/messages", params={"user_id": anna}, json={})
        assert empty.status_code == 400
        unknown = await api.post(
            "/messages", params={"user_id": await chat_user(sandbox, "Cleo")},
            json={"link": {"type": "forward", "mid": "mid.nothing"}},
        )  # fmt: skip
        assert unknown.status_code == 404
