"""MAX's look: the design tokens in light and dark, the scheme MAX's bridge gives winning over the
system's, the tab bar's "Add" label in the clear, readable text and a visible focus ring, on a
phone and on a desktop. Screenshots of every main screen go to $BROWSER_SHOTS (look-*.png)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pytest
from playwright.async_api import Page, ViewportSize, expect

from sandbox.signer import launch_url
from tests.browser.conftest import MAX_SCRIPT, MiniApp

Scheme = Literal["light", "dark"]
SIZES: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}
ACCENT = "rgb(0, 122, 255)"  # @maxhub/max-ui accent-themed #007aff
BACKGROUND = {"light": "rgb(237, 238, 242)", "dark": "rgb(23, 24, 28)"}  # surface-ground
TEXT = {"light": "rgb(12, 13, 14)", "dark": "rgba(255, 255, 255, 0.8)"}  # text-primary
TABS = ["gallery", "mine", "upload", "favorites", "inbox"]

# WCAG contrast of every visible text element against the colour actually behind it (the first
# ancestor with a background, translucent layers blended over the page).
CONTRAST_JS = """
(root) => {
  const parse = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, under) =>
    top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
  const lum = (c) => {
    const l = c.slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const page = () => parse(getComputedStyle(document.documentElement).backgroundColor);
  const behind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.backgroundImage !== "none") return null;  // on a photo or gradient: not judged
      const c = parse(s.backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
    }
    let colour = [255, 255, 255, 1];
    if (!layers.length || layers[layers.length - 1][3] < 1) colour = page();
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const found = [];
  for (const el of root.querySelectorAll("*")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.checkVisibility()) continue;
    if (el.closest("[hidden], .visually-hidden, .tile-caption")) continue;
    const s = getComputedStyle(el);
    const bg = behind(el);
    if (!bg) continue;
    const fg = over(parse(s.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    // white on the accent fill is MAX's own primary button (4.0:1); all other text needs AA
    const onAccent = bg[0] === 0 && bg[1] === 122 && bg[2] === 255;
    found.push({ text: el.textContent.trim().slice(0, 30), ratio: Math.round(ratio * 100) / 100,
                 need: large ? 3 : onAccent ? 4 : 4.5,
                 disabled: el.closest(":disabled") !== null });
  }
  return found;
}
"""


async def open_look(
    mini_app: MiniApp,
    user_id: int,
    *,
    scheme: Scheme,
    size: str = "phone",
    bridge_scheme: Scheme | None = None,
    start_param: str | None = None,
) -> Page:
    """Like MiniApp.open, with a viewport and, optionally, a MAX bridge that names a scheme
    (MAX's own script is refused in tests, so a stand-in `window.WebApp` carries it)."""
    launch = await mini_app.sandbox.control.launch_data(user_id, start_param, "valid")
    url = launch_url(mini_app.webapp_url, str(launch["init_data"]), launch["start_param"])
    context = await mini_app.browser.new_context(
        viewport=SIZES[size], device_scale_factor=2, color_scheme=scheme
    )
    await context.route(MAX_SCRIPT, lambda route: route.abort())
    if bridge_scheme:
        bridge = json.dumps({"colorScheme": bridge_scheme})
        await context.add_init_script(f"window.WebApp = {bridge};")
    page = await context.new_page()
    page.on("pageerror", lambda exc: mini_app.page_errors.append(f"uncaught: {exc}"))
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-state", "ready")
    return page


async def style(page: Page, selector: str, prop: str) -> str:
    value: str = await page.locator(selector).first.evaluate(
        f"(el) => getComputedStyle(el).getPropertyValue({json.dumps(prop)}).trim()"
    )
    return value


async def assert_readable(page: Page, where: str) -> None:
    found = await page.locator("body").evaluate(CONTRAST_JS)
    poor = [f for f in found if f["ratio"] < f["need"] and not f["disabled"]]
    assert poor == [], (where, poor)
    assert found, where


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_page_wears_max_s_tokens(mini_app: MiniApp, scheme: Scheme) -> None:
    anna = await mini_app.user("Anna", "en")
    page = await open_look(mini_app, anna, scheme=scheme)
    assert await style(page, "body", "background-color") == BACKGROUND[scheme]
    assert await style(page, "body", "color") == TEXT[scheme]
    assert await style(page, "html", "--max-accent") == "#007aff"
    assert await style(page, "#tabs .tab-upload .icon", "background-color") == ACCENT
    await page.locator("#tabs .tab-upload").click()
    assert await style(page, "#upload-submit", "background-color") == ACCENT
    assert await style(page, "#upload-submit", "color") == "rgb(255, 255, 255)"


@pytest.mark.parametrize(("system", "bridge"), [("light", "dark"), ("dark", "light")])
async def test_the_scheme_max_s_bridge_names_wins_over_the_system_s(
    mini_app: MiniApp, system: Scheme, bridge: Scheme
) -> None:
    anna = await mini_app.user("Anna", "en")
    page = await open_look(mini_app, anna, scheme=system, bridge_scheme=bridge)
    await expect(page.locator("html")).to_have_attribute("data-scheme", bridge)
    assert await style(page, "body", "background-color") == BACKGROUND[bridge]
    assert await style(page, "#tabs .tab-upload .icon", "background-color") == ACCENT


async def test_without_a_bridge_scheme_the_system_s_is_followed(mini_app: MiniApp) -> None:
    anna = await mini_app.user("Anna", "en")
    page = await open_look(mini_app, anna, scheme="light")
    assert await page.locator("html").get_attribute("data-scheme") is None
    assert await style(page, "body", "background-color") == BACKGROUND["light"]
    await page.emulate_media(color_scheme="dark")  # the system switches while the app is open
    assert await style(page, "body", "background-color") == BACKGROUND["dark"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_add_label_is_not_under_the_round_button(
    mini_app: MiniApp, scheme: Scheme, size: str
) -> None:
    anna = await mini_app.user("Anna", "en")
    page = await open_look(mini_app, anna, scheme=scheme, size=size)
    circle = await page.locator("#tabs .tab-upload .icon").bounding_box()
    label = await page.locator("#tabs .tab-upload span").bounding_box()
    assert circle
    assert label
    assert label["y"] >= circle["y"] + circle["height"], (circle, label)
    assert await page.locator("#tabs .tab-upload span").text_content() == "Add"
    on_top = await page.evaluate(
        """([x, y]) => { const el = document.elementFromPoint(x, y);
                         return el && el.closest('.tab-upload span') !== null; }""",
        [label["x"] + label["width"] / 2, label["y"] + label["height"] / 2],
    )
    assert on_top
    bar = await page.locator("#tabs").bounding_box()
    assert bar
    assert circle["y"] >= bar["y"] - 0.5  # the circle stays inside the bar
    assert label["y"] + label["height"] <= bar["y"] + bar["height"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_the_focus_ring_is_the_accent(mini_app: MiniApp, scheme: Scheme) -> None:
    anna = await mini_app.user("Anna", "en")
    page = await open_look(mini_app, anna, scheme=scheme)
    await page.locator("#tabs .tab-mine").focus()
    await page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    focused = page.locator("#tabs .tab-upload")
    await expect(focused).to_be_focused()
    assert await style(page, "#tabs .tab-upload", "outline-style") == "solid"
    assert await style(page, "#tabs .tab-upload", "outline-color") == ACCENT
    assert await style(page, "#tabs .tab-upload", "outline-width") == "3px"


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
async def test_every_main_screen_reads_well(
    mini_app: MiniApp, shots_dir: Path, scheme: Scheme, size: str
) -> None:
    anna, boris = await mini_app.user("Anna", "en"), await mini_app.user("Boris", "en")
    first = await mini_app.upload(anna, 301, "Orchard in bloom", "Watercolour, morning light")
    await mini_app.upload(boris, 302, "Old quarry")
    page = await open_look(mini_app, anna, scheme=scheme, size=size)
    for tab in TABS:
        await page.locator(f"#tabs .tab-{tab}").click()
        await expect(page.locator(f"#tabs .tab-{tab}")).to_have_attribute("aria-current", "page")
        await expect(page.locator("#view .spinner")).to_have_count(0)
        await page.wait_for_timeout(300)  # tiles fade in
        await page.screenshot(path=shots_dir / f"look-{tab}-{scheme}-{size}.png")
        await assert_readable(page, f"{tab} {scheme} {size}")
    other = await open_look(mini_app, boris, scheme=scheme, size=size, start_param=f"o_{first}")
    await expect(other.locator(".object-hero img.loaded")).to_have_count(1)
    await other.screenshot(path=shots_dir / f"look-object-{scheme}-{size}.png", full_page=True)
    await assert_readable(other, f"object {scheme} {size}")
