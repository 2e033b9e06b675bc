// The inbox: profile requests, then trades and transfers, to me or from me, newest first.

import "./trades_strings.js";
import { h, photo, toast, emptyState, formatDate } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go, replace, markChanged } from "../router.js";
import { session } from "../session.js";
import { requestSection } from "./requests.js";

async function loadBox(box) {
  const [trades, transfers] = await Promise.all([
    session.features.trades ? api.get("/trades", { box, limit: 50 }) : { items: [] },
    session.features.transfers ? api.get("/transfers", { box, limit: 50 }) : { items: [] },
  ]);
  const entries = [
    ...trades.items.map((trade) => ({ kind: "trade", at: trade.created_at, trade })),
    ...transfers.items.map((transfer) => ({ kind: "transfer", at: transfer.created_at, transfer })),
  ];
  return entries.sort((a, b) => b.at.localeCompare(a.at));
}

function statusText(status, expiresAt) {
  const when = status === "pending" ? ` · ${t("expiresAt", { when: formatDate(expiresAt, currentLanguage()) })}` : "";
  return `${t(`status_${status}`)}${when}`;
}

function tradeRow({ trade }, box) {
  const partner = box === "incoming" ? trade.proposer : trade.recipient;
  const first = trade.give[0] || trade.take[0];
  const title = box === "incoming" ? t("tradeFrom", { name: partner.name }) : t("tradeTo", { name: partner.name });
  const names = (items) => items.map((item) => item.title).join(", ") || "—";
  const what = `${names(trade.give)} ⇄ ${names(trade.take)}`;
  return h("li", {}, h("button", { type: "button", class: "row row-button", dataset: { tradeId: trade.id },
    onclick: () => go("trade", { id: trade.id }) },
  first?.media ? photo(first.media.thumb, "") : null,
  h("span", { class: "row-main" }, h("span", { class: "row-title" }, title),
    h("span", { class: "row-sub" }, what), h("span", { class: "row-sub" }, statusText(trade.status, trade.expires_at)))));
}

async function decide(transfer, action) {
  try {
    await api.post(`/transfers/${transfer.id}/${action}`);
    haptic.success();
    markChanged();
    replace("inbox", { box: "incoming" });
  } catch (error) { toast(errorText(error)); }
}

function transferButtons(transfer, box) {
  if (transfer.status !== "pending") return null;
  const button = (label, cls, action) => h("button", { type: "button", class: `button ${cls}`,
    onclick: (e) => { e.stopPropagation(); decide(transfer, action); } }, label);
  if (box === "incoming") return h("span", { class: "row-actions" }, button(t("accept"), "primary", "accept"), button(t("decline"), "", "decline"));
  return h("span", { class: "row-actions" }, button(t("cancel"), "danger", "cancel"));
}

function transferRow({ transfer }, box) {
  const title = box === "incoming" ? t("transferFrom", { name: transfer.from.name })
    : transfer.to ? t("transferTo", { name: transfer.to.name }) : t("transferQr");
  return h("li", { class: "row", dataset: { transferId: transfer.id } },
    transfer.object.visible
      ? h("button", { type: "button", class: "row-thumb", "aria-label": transfer.object.title,
        onclick: () => go("object", { id: transfer.object.id }) }, photo(transfer.object.thumb, ""))
      : h("span", { class: "row-thumb placeholder", title: t("itemHidden") }),
    h("span", { class: "row-main" }, h("span", { class: "row-title" }, `${title}: «${transfer.object.title}»`),
      h("span", { class: "row-sub" }, statusText(transfer.status, transfer.expires_at))),
    transferButtons(transfer, box));
}

function boxSwitch(box) {
  const option = (value) => h("button", { type: "button", "aria-pressed": String(box === value),
    onclick: () => box !== value && replace("inbox", { box: value }) }, t(value));
  return h("div", { class: "segmented", role: "group" }, option("incoming"), option("outgoing"));
}

function emptyBox(box) {
  return emptyState(box === "incoming" ? t("emptyInbox") : t("emptyOutbox"), box === "incoming" ? t("emptyInboxText") : "");
}

defineView("inbox", async ({ box = "incoming" }) => {
  const refresh = () => replace("inbox", { box });
  const [entries, requests] = await Promise.all([loadBox(box), requestSection(box, refresh)]);
  const list = entries.length
    ? h("ul", { class: "rows", id: "inbox-list" }, entries.map((e) => (e.kind === "trade" ? tradeRow(e, box) : transferRow(e, box))))
    : !requests && emptyBox(box);
  return { title: t("tabInbox"), node: h("div", {}, boxSwitch(box), requests, list) };
});
