// Trades: compose one (my objects for theirs), look at one, and answer it.

import "./trades_strings.js";
import { h, icon, photo, toast, formatDate } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go, replace, markChanged } from "../router.js";
import { session, isMe } from "../session.js";
import { placeholderURL } from "../thumbhash.js";
import { addObjectAction } from "./object.js";
import { confirmDialog } from "./dialogs.js";

const PICK_LIMIT = 60;

addObjectAction((object) => {
  if (!session.features.trades || isMe(object.owner.id)) return null;
  return h("button", { type: "button", class: "button primary", id: "offer-trade",
    onclick: () => go("compose", { partner: object.owner, take: [object.id] }) }, icon("trade"), t("offerTrade"));
});

function pickTile(item, chosen) {
  const button = h("button", { type: "button", class: "tile pick", "aria-pressed": String(chosen.has(item.id)),
    "aria-label": item.title, dataset: { objectId: item.id } },
  photo(item.media.thumb, item.title), h("span", { class: "tile-caption", "aria-hidden": "true" }, item.title));
  const placeholder = placeholderURL(item.placeholder);
  if (placeholder) button.style.backgroundImage = `url("${placeholder}")`;
  button.addEventListener("click", () => {
    if (chosen.has(item.id)) chosen.delete(item.id); else chosen.add(item.id);
    button.setAttribute("aria-pressed", String(chosen.has(item.id)));
    haptic.tap();
  });
  return button;
}

function pickSection(id, heading, items, chosen) {
  return h("section", { class: "pick-section", "aria-labelledby": id },
    h("h3", { id, class: "section-title" }, heading),
    items.length
      ? h("div", { class: "grid" }, items.map((item) => pickTile(item, chosen)))
      : h("p", { class: "hint" }, t("nothing")));
}

// `counterOf` answers a trade with a new one; otherwise a fresh trade with `partner`.
async function composeScreen({ partner, take = [], give = [], counterOf = null }) {
  const [mine, theirs] = await Promise.all([
    api.get("/me/objects", { limit: PICK_LIMIT }),
    api.get("/objects", { owner: partner.id, limit: PICK_LIMIT }),
  ]);
  const giving = new Set(give);
  const taking = new Set(take);
  const message = h("textarea", { class: "input", id: "trade-message", maxlength: "1000" });
  const status = h("p", { class: "error", role: "alert" });
  const submit = h("button", { type: "submit", class: "button primary wide", id: "trade-send" }, t("send"));
  async function send(event) {
    event.preventDefault();
    if (!giving.size && !taking.size) { status.textContent = t("pickSomething"); return; }
    const sides = { give: [...giving], take: [...taking], message: message.value.trim() };
    submit.disabled = true;
    try {
      const trade = counterOf
        ? await api.post(`/trades/${counterOf}/counter`, sides)
        : await api.post("/trades", { recipient_id: partner.id, ...sides });
      haptic.success();
      toast(t("sent"));
      markChanged();
      replace("trade", { id: trade.id });
    } catch (error) {
      status.textContent = errorText(error);
      submit.disabled = false;
    }
  }
  const node = h("form", { class: "compose", onsubmit: send, novalidate: true },
    pickSection("pick-take", t("pickTake"), theirs.items, taking),
    pickSection("pick-give", t("pickGive"), mine.items, giving),
    h("div", { class: "field" }, h("label", { class: "field-label", for: "trade-message" }, t("message")), message),
    status, submit);
  return { title: counterOf ? t("counterTitle") : t("composeTo", { name: partner.name }), node };
}

defineView("compose", composeScreen, { tab: "gallery" });

// A line whose object is hidden from me now (or deleted) shows only the title as proposed.
function itemRow(item) {
  const title = h("span", { class: "row-title" }, item.title);
  if (!item.visible) {
    return h("li", { class: "row", dataset: { hidden: "true" } }, h("span", { class: "row-thumb placeholder" }),
      h("span", { class: "row-main" }, title, h("span", { class: "row-sub" }, t("itemHidden"))));
  }
  return h("li", {}, h("button", { type: "button", class: "row row-button", onclick: () => go("object", { id: item.id }) },
    photo(item.media.thumb, ""), h("span", { class: "row-main" }, title)));
}

function side(heading, items) {
  return h("section", { class: "card" }, h("h3", {}, heading),
    items.length ? h("ul", { class: "rows" }, items.map(itemRow)) : h("p", { class: "hint" }, t("nothing")));
}

async function answer(trade, action, doneKey) {
  try {
    const body = action === "accept" ? { version: trade.version } : undefined;
    await api.post(`/trades/${trade.id}/${action}`, body);
    haptic.success();
    toast(t(doneKey));
    markChanged();
    replace("trade", { id: trade.id });
  } catch (error) {
    haptic.error();
    toast(errorText(error));
    if (error.code === "stale_version") replace("trade", { id: trade.id });
  }
}

function tradeActions(trade) {
  if (trade.status !== "pending") return null;
  const button = (id, label, cls, onclick) => h("button", { type: "button", class: `button ${cls}`, id, onclick }, label);
  if (isMe(trade.recipient.id)) {
    return h("div", { class: "actions" },
      button("trade-accept", t("accept"), "primary", async () => {
        if (await confirmDialog(t("acceptConfirm"), t("accept"), { danger: false })) answer(trade, "accept", "accepted");
      }),
      button("trade-decline", t("decline"), "danger", () => answer(trade, "decline", "declined")),
      button("trade-counter", t("counter"), "", () => go("compose", {
        partner: trade.proposer, counterOf: trade.id,
        give: trade.take.map((i) => i.id), take: trade.give.map((i) => i.id),
      })));
  }
  return h("div", { class: "actions" },
    button("trade-cancel", t("withdrawTrade"), "danger", () => answer(trade, "cancel", "cancelled")));
}

defineView("trade", async ({ id }) => {
  const trade = await api.get(`/trades/${Number(id)}`);
  const incoming = isMe(trade.recipient.id);
  const partner = incoming ? trade.proposer : trade.recipient;
  const lang = currentLanguage();
  const giveHeading = incoming ? t("theyGive", { name: partner.name }) : t("youGive");
  const takeHeading = incoming ? t("youGive") : t("theyGive", { name: partner.name });
  const node = h("div", { class: "trade", dataset: { status: trade.status } },
    h("p", { class: "status-line" }, h("strong", { id: "trade-status" }, t(`status_${trade.status}`)),
      trade.status === "pending" ? ` · ${t("expiresAt", { when: formatDate(trade.expires_at, lang) })}` : ""),
    trade.message && h("blockquote", { class: "card message" }, trade.message),
    side(giveHeading, trade.give), side(takeHeading, trade.take), tradeActions(trade));
  return { title: incoming ? t("tradeFrom", { name: partner.name }) : t("tradeTo", { name: partner.name }), node };
}, { tab: "inbox" });
