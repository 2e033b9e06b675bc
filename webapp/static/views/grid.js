// A grid of object thumbnails that pages in with next_cursor as the end of it scrolls into view.
// Each tile is painted from its ThumbHash at once; the real thumbnail fades in over it.

import { h, photo, avatar } from "../dom.js";
import { t, errorText } from "../i18n.js";
import { placeholderURL } from "../thumbhash.js";
import { go } from "../router.js";

const PAGE = 30;

export function tile(item) {
  const placeholder = placeholderURL(item.placeholder);
  const button = h("button", {
    type: "button", class: "tile", dataset: { objectId: item.id },
    "aria-label": item.title, onclick: () => go("object", { id: item.id }),
  }, photo(item.media.thumb, item.title), h("span", { class: "tile-caption", "aria-hidden": "true" }, item.title));
  if (placeholder) button.style.backgroundImage = `url("${placeholder}")`;
  return button;
}

// A line under a tile naming its owner; it opens their profile.
function ownerLink(owner) {
  return h("button", { type: "button", class: "tile-owner", dataset: { ownerId: owner.id },
    onclick: () => go("profile", { id: owner.id }) }, avatar(owner.name, owner.avatar, "avatar tiny"), h("span", {}, owner.name));
}

// `load(cursor, limit)` answers {items, next_cursor}; `empty` is shown when the first page is empty;
// `owners` puts each owner's name under their tiles (where they are not all the same person).
export function objectGrid(load, empty, { owners = false } = {}) {
  const grid = h("div", { class: "grid", role: "list" });
  const status = h("div", { class: "grid-more" });
  const sentinel = h("div", { class: "sentinel", "aria-hidden": "true" });
  const root = h("section", { class: "grid-wrap" }, grid, status, sentinel);
  let cursor = null;
  let done = false;
  let busy = false;

  async function more() {
    if (busy || done) return;
    busy = true;
    status.replaceChildren(h("div", { class: "spinner", role: "progressbar", "aria-label": t("loading") }));
    try {
      const page = await load(cursor, PAGE);
      for (const item of page.items) grid.append(cell(item, owners));
      cursor = page.next_cursor;
      done = !cursor;
      if (done) observer.disconnect();
      status.replaceChildren();
      if (done && !grid.childElementCount) root.replaceChildren(empty());
    } catch (error) {
      status.replaceChildren(h("p", { class: "error", role: "alert" }, errorText(error)),
        h("button", { type: "button", class: "button", onclick: more }, t("retry")));
    } finally {
      busy = false;
    }
    if (!done && root.isConnected && nearEnd()) more();
  }

  function nearEnd() {
    return sentinel.getBoundingClientRect().top < window.innerHeight + 600;
  }

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) more();
  }, { rootMargin: "600px 0px" });
  observer.observe(sentinel);
  const first = more();
  return { node: root, ready: first };
}

function cell(item, owners) {
  return h("div", { role: "listitem", class: "cell" }, tile(item), owners && ownerLink(item.owner));
}
