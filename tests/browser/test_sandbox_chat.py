"""The sandbox's developer chat renders a message from its text and markup, as MAX's clients do:
text nodes only, links only for http, https and max://, the target shown in the title."""

from __future__ import annotations

import httpx
from playwright.async_api import Browser

from sandbox.runner import RunningSandbox


async def test_the_developer_chat_renders_markup_and_nothing_else(
    browser: Browser, sandbox: RunningSandbox
) -> None:
    user = await sandbox.control.create_user("Dev", language_code="en")
    source = (
        '<b>bold</b> <a href="https://example.com/a">site</a> '
        '<a href="javascript:alert(1)">js</a> <a href="max://user/7">Ann</a> '
        "&lt;img src=x onerror=alert(1)&gt; **not markdown**"
    )
    async with httpx.AsyncClient(
        base_url=sandbox.base_url, headers={"Authorization": sandbox.token}
    ) as api:
        sent = await api.post(
            "/messages", params={"user_id": user["user"]["user_id"]},
            json={"text": source, "format": "html"},
        )  # fmt: skip
        assert sent.status_code == 200, sent.text
    page = await browser.new_page()
    try:
        await page.goto(f"{sandbox.base_url}/_sandbox/")
        await page.click(".user-row")
        text = page.locator(".msg .text")
        await text.wait_for()
        assert await text.inner_text() == (
            "bold site js Ann <img src=x onerror=alert(1)> **not markdown**"
        )
        assert await text.locator("strong").all_inner_texts() == ["bold"]
        links = [
            (await a.inner_text(), await a.get_attribute("href"), await a.get_attribute("title"))
            for a in await text.locator("a").all()
        ]
        assert links == [
            ("site", "https://example.com/a", "https://example.com/a"),
            ("Ann", "max://user/7", "max://user/7"),
        ]
        assert await text.locator(".bad-link").get_attribute("title") == (
            "blocked: javascript:alert(1)"
        )
        assert await text.locator("img").count() == 0
    finally:
        await page.close()
