// The gallery with its search box, and my objects and favourites.

import { h, icon, emptyState } from "../dom.js";
import { t } from "../i18n.js";
import * as api from "../api.js";
import { defineView, openTab } from "../router.js";
import { objectGrid } from "./grid.js";
import { meCard } from "./settings.js";

const SEARCH_DELAY_MS = 300;

function addPhotoButton() {
  return h("button", { type: "button", class: "button primary", onclick: () => openTab("upload") }, t("addPhoto"));
}

function galleryGrid(q) {
  const load = (cursor, limit) => api.get("/objects", { limit, cursor, q });
  const empty = () => (q
    ? emptyState(t("noResults"), t("noResultsText"))
    : emptyState(t("emptyGallery"), t("emptyGalleryText"), addPhotoButton()));
  return objectGrid(load, empty, { owners: true }).node;
}

function searchBox(initial, onSearch) {
  const input = h("input", {
    type: "search", class: "input", id: "search", name: "q", value: initial, enterkeyhint: "search",
    placeholder: t("search"), autocomplete: "off", maxlength: "200",
  });
  let timer = 0;
  let last = initial;
  const submit = () => {
    const q = input.value.trim();
    if (q === last) return;
    last = q;
    onSearch(q);
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(submit, SEARCH_DELAY_MS); });
  const form = h("form", { class: "search", role: "search", onsubmit: (e) => { e.preventDefault(); input.blur(); submit(); } },
    h("label", { for: "search", class: "visually-hidden" }, t("searchLabel")), icon("search"), input);
  return form;
}

defineView("gallery", async ({ q = "" }) => {
  const slot = h("div", {}, galleryGrid(q || undefined));
  const search = searchBox(q, (text) => slot.replaceChildren(galleryGrid(text || undefined)));
  return { title: t("app"), node: h("div", {}, search, slot) };
});

defineView("mine", async () => {
  const load = (cursor, limit) => api.get("/me/objects", { limit, cursor });
  const empty = () => emptyState(t("emptyMine"), t("emptyMineText"), addPhotoButton());
  return { title: t("tabMine"), node: h("div", {}, meCard(), objectGrid(load, empty).node) };
});

defineView("favorites", async () => {
  const load = (cursor, limit) => api.get("/me/favorites", { limit, cursor });
  const empty = () => emptyState(t("emptyFavorites"), t("emptyFavoritesText"));
  return { title: t("tabFavorites"), node: objectGrid(load, empty).node };
});
