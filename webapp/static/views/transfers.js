// Handing an object over by QR: the owner shows a code; the receiver scans it (or opens the
// ?startapp=t_<token> link), sees what it is and from whom, and only an explicit "Accept" claims it.

import "./trades_strings.js";
import { $, h, icon, photo, toast, emptyState, formatDate } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic, scanCode, webApp } from "../bridge.js";
import { defineView, go, back, replace, openTab, markChanged } from "../router.js";
import { session, isMe } from "../session.js";
import { addObjectAction } from "./object.js";
import { confirmDialog } from "./dialogs.js";
import { extensions } from "../extensions.js";

const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

// What a scanned code says: the bot or mini-app link with t_<token>, or the bare payload.
export function tokenFromCode(value) {
  const text = String(value || "").trim();
  let payload = text;
  try {
    const url = new URL(text);
    payload = url.searchParams.get("startapp") || url.searchParams.get("start") || "";
  } catch { /* not a URL: maybe the payload itself */ }
  const token = payload.startsWith("t_") ? payload.slice(2) : "";
  return TOKEN.test(token) ? token : null;
}

async function createTransfer(objectId) {
  try {
    return await api.post("/transfers", { object_id: objectId });
  } catch (error) {
    if (error.code !== "transfer_pending") throw error;
    if (!(await confirmDialog(t("replacePending"), t("replace"), { danger: false }))) return null;
    return api.post("/transfers", { object_id: objectId, replace: true });
  }
}

addObjectAction((object) => {
  // a hidden object cannot change hands (the API refuses with 409 hidden): no button to refuse
  if (!session.features.transfers || !isMe(object.owner.id) || object.hidden) return null;
  return h("button", { type: "button", class: "button", id: "make-transfer", onclick: async () => {
    try {
      const created = await createTransfer(object.id);
      if (created) go("transfer-qr", { created });
    } catch (error) { toast(errorText(error)); }
  } }, icon("qr"), t("makeTransfer"));
});

// The QR image needs the bearer token, so it is fetched and shown from a blob: URL.
async function qrImage(created) {
  const img = h("img", { class: "qr", id: "transfer-qr", alt: t("qrTitle") });
  if (!created.qr_png_url) return img;
  const response = await api.fetchAuthorized(created.qr_png_url.replace(/^\/api/, ""));
  img.src = URL.createObjectURL(await response.blob());
  return img;
}

function shareButton(created) {
  if (!created.app_link || !webApp.shareMaxContent || webApp.standIn) return null;
  return h("button", { type: "button", class: "button", onclick: () => {
    webApp.shareMaxContent({ text: created.object.title, link: created.app_link }).catch(() => {});
  } }, t("shareLink"));
}

defineView("transfer-qr", async ({ created }) => {
  try { await webApp.requestScreenMaxBrightness?.(); } catch { /* not on every platform */ }
  const cancel = h("button", { type: "button", class: "button danger wide", id: "cancel-transfer", onclick: async () => {
    try {
      await api.post(`/transfers/${created.id}/cancel`);
      toast(t("qrCancelled"));
      back();
    } catch (error) { toast(errorText(error)); }
  } }, t("qrCancel"));
  const when = formatDate(created.expires_at, currentLanguage());
  const node = h("div", { class: "transfer" },
    h("div", { class: "center-state compact" },
      h("h2", {}, created.object.title), await qrImage(created), h("p", {}, t("qrText", { when }))),
    h("div", { class: "actions" }, shareButton(created), cancel));
  return { title: t("qrTitle"), node };
}, { tab: "gallery" });

function claimError(error) {
  return emptyState(t("claimFailed"), errorText(error),
    h("button", { type: "button", class: "button", onclick: () => openTab("gallery") }, t("tabGallery")));
}

defineView("claim", async ({ token }) => {
  let scanned;
  try {
    scanned = await api.get(`/transfers/by-token/${encodeURIComponent(token)}`);
  } catch (error) {
    if (error.network) throw error;
    return { title: t("claimTitle"), node: claimError(error) };
  }
  const status = h("p", { class: "error", role: "alert" });
  const accept = h("button", { type: "button", class: "button primary", id: "claim-accept", onclick: async () => {
    accept.disabled = true;
    try {
      const done = await api.post("/transfers/claim", { token });
      haptic.success();
      markChanged();
      toast(t("claimed"));
      replace("object", { id: done.object.id });
    } catch (error) {
      haptic.error();
      status.textContent = errorText(error);
      accept.disabled = false;
    }
  } }, t("claimAccept"));
  const notNow = h("button", { type: "button", class: "button", onclick: () => openTab("gallery") }, t("claimNotNow"));
  const node = h("div", { class: "claim" },
    h("figure", { class: "object-hero" }, photo(scanned.object.preview, scanned.object.title)),
    h("h2", { class: "object-title", id: "claim-question" },
      t("claimQuestion", { title: scanned.object.title, name: scanned.from.name })),
    status, h("div", { class: "actions" }, accept, notNow));
  return { title: t("claimTitle"), node };
}, { tab: "gallery" });

async function scanAndOpen() {
  haptic.tap();
  let value;
  try { value = await scanCode(); } catch { return; }
  const token = tokenFromCode(value);
  if (token) go("claim", { token });
  else toast(t("scanFailed"));
}

extensions.startParams.push(async (param) => {
  const token = param.startsWith("t_") ? tokenFromCode(param) : null;
  if (!token || !session.features.transfers) return false;
  await go("claim", { token });
  return true;
});

extensions.starters.push(() => {
  if (!session.features.transfers) return;
  const scan = $("scan");
  scan.hidden = false;
  scan.addEventListener("click", scanAndOpen);
});
