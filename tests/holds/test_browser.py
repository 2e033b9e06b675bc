"""The hold on the object page, in Chromium, light and dark: the notice with the time left, and
no Trade or Transfer button until the hold ends. BROWSER_SHOTS=<dir> keeps the screenshots."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from playwright.async_api import expect

from tests.browser.conftest import MiniApp, browser, mini_app, shots_dir
from tests.browser.test_screens import Scheme, shoot
from tests.holds.conftest import HOLD_HOURS, turn_clock

__all__ = ["browser", "mini_app", "shots_dir"]  # the browser suite's fixtures, used here


async def trade_over(mini_app: MiniApp, giver: int, taker: int, object_id: int) -> None:
    """`giver` gives the object to `taker`, who accepts: it is held now."""
    client, logins = mini_app.client, mini_app.logins
    body = {"recipient_id": taker, "give": [object_id], "take": [], "message": ""}
    response = await client.post("/api/trades", json=body, headers=logins[giver].headers)
    trade = await response.json()
    assert response.status == 201, trade
    response = await client.post(
        f"/api/trades/{trade['id']}/accept", json={"version": trade["version"]},
        headers=logins[taker].headers,
    )  # fmt: skip
    assert response.status == 200, await response.json()


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_a_held_object_page_says_so_and_offers_no_trade_or_transfer(
    mini_app: MiniApp, shots_dir: Path, db: asyncpg.Connection, scheme: Scheme
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Борис", "ru")
    orchard = await mini_app.upload(anna, 301, "Orchard in bloom", "Watercolour, spring")
    await mini_app.upload(boris, 302, "Old quarry")
    await no_upload_is_held(db)
    await trade_over(mini_app, anna, boris, orchard)
    await turn_clock(db, orchard, timedelta(hours=18, minutes=48))

    owner = await mini_app.open(boris, start_param=f"o_{orchard}", color_scheme=scheme)
    await expect(owner.locator(".object-hero img.loaded")).to_have_count(1)
    await expect(owner.locator("#hold-notice .hold-title")).to_have_text(
        "Удерживается ещё 5 ч 12 мин"
    )
    await expect(owner.locator("#edit")).to_be_visible()
    await expect(owner.locator("#make-transfer")).to_have_count(0)
    await shoot(owner, shots_dir / "hold-owner.png", scheme, full_page=True)

    other = await mini_app.open(anna, start_param=f"o_{orchard}", color_scheme=scheme)
    await expect(other.locator(".object-hero img.loaded")).to_have_count(1)
    await expect(other.locator("#hold-notice .hold-title")).to_have_text("On hold for 5 h 12 min")
    await expect(other.locator("#report")).to_be_visible()
    await expect(other.locator("#offer-trade")).to_have_count(0)
    await shoot(other, shots_dir / "hold-other.png", scheme, full_page=True)

    await turn_clock(db, orchard, timedelta(hours=HOLD_HOURS))
    freed = await mini_app.open(boris, start_param=f"o_{orchard}", color_scheme=scheme)
    await expect(freed.locator("#make-transfer")).to_be_visible()
    await expect(freed.locator("#hold-notice")).to_have_count(0)
    for name in ("hold-owner", "hold-other"):
        assert (shots_dir / f"{name}-{scheme}.png").stat().st_size > 5000


async def no_upload_is_held(db: asyncpg.Connection) -> None:
    """Uploads are never held."""
    assert await db.fetchval("SELECT count(*) FROM art_objects WHERE received_at IS NOT NULL") == 0
