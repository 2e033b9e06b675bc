// A stack of screens inside one page. The URL is never changed (its fragment carries MAX's launch
// data); browser history entries are pushed only so the system back gesture pops a screen.

import { $, h, icon, emptyState } from "./dom.js";
import { t } from "./i18n.js";
import { errorText } from "./i18n.js";
import { setBackButton, haptic } from "./bridge.js";

const views = new Map();
const stack = [];
let tabs = [];
let changes = 0;

export function defineView(name, render, { tab = null } = {}) {
  views.set(name, { render, tab });
}

// Something shown elsewhere changed (an upload, a favourite, a deletion): screens kept in the
// stack render afresh when they come back.
export function markChanged() {
  changes += 1;
}

export function setTabs(list) {
  tabs = list;
  const nav = $("tabs");
  nav.replaceChildren(...list.map((tab) => h("button", {
    type: "button", class: `tab tab-${tab.view}`, dataset: { view: tab.view },
    onclick: () => { haptic.tap(); openTab(tab.view); },
  }, icon(tab.icon), h("span", {}, t(tab.label)))));
  nav.hidden = false;
}

function highlightTab(entry) {
  const active = views.get(stack[0]?.name)?.tab ?? stack[0]?.name;
  for (const button of $("tabs").querySelectorAll(".tab")) {
    if (button.dataset.view === active && stack.length === 1) button.setAttribute("aria-current", "page");
    else if (button.dataset.view === active) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
  return entry;
}

async function render(entry) {
  const view = views.get(entry.name);
  const main = $("view");
  entry.version = changes;
  try {
    const screen = await view.render(entry.params || {});
    entry.title = screen.title;
    entry.node = screen.node;
  } catch (error) {
    entry.title = t("app");
    entry.node = emptyState(error.status === 404 ? t("notFound") : t("genericError"),
      error.status === 404 ? t("notFoundText") : errorText(error),
      h("button", { type: "button", class: "button", onclick: () => show(entry, true) }, t("retry")));
  }
  if (stack.at(-1) === entry) main.replaceChildren(entry.node);
}

async function show(entry, fresh = false) {
  const main = $("view");
  $("title").textContent = entry.title || t("app");
  highlightTab(entry);
  const deep = stack.length > 1;
  $("back").hidden = !deep;
  setBackButton(deep, onSystemBack);
  if (fresh || !entry.node || entry.version !== changes) {
    if (!entry.node) main.replaceChildren(h("div", { class: "center-state" }, h("div", {
      class: "spinner", role: "progressbar", "aria-label": t("loading") })));
    await render(entry);
    $("title").textContent = entry.title || t("app");
  } else {
    main.replaceChildren(entry.node);
  }
  window.scrollTo(0, fresh ? 0 : entry.scroll || 0);
  main.focus({ preventScroll: true });
}

function onSystemBack() {
  history.back();
}

export function go(name, params = {}) {
  if (stack.length) stack.at(-1).scroll = window.scrollY;
  const entry = { name, params };
  stack.push(entry);
  history.pushState({ depth: stack.length }, "");
  return show(entry, true);
}

export function replace(name, params = {}) {
  const entry = { name, params };
  stack[stack.length - 1] = entry;
  return show(entry, true);
}

export function openTab(name, params = {}) {
  const steps = stack.length - 1;
  stack.splice(0, stack.length, { name, params });
  if (steps > 0) history.go(-steps);
  return show(stack[0], true);
}

export function back() {
  if (stack.length > 1) history.back();
}

// The browser's (or MAX's) back: drop the top screen and show the one under it as it was.
window.addEventListener("popstate", () => {
  if (stack.length <= 1) return;
  const depth = history.state?.depth ?? 1;
  while (stack.length > Math.max(depth, 1)) stack.pop();
  show(stack.at(-1));
});

export function currentTabs() {
  return tabs;
}

$("back").addEventListener("click", () => back());

export function localiseChrome() {
  $("back-label").textContent = t("back");
  $("scan-label").textContent = t("scan");
}
