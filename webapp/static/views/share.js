// Sharing an object: its provenance card (drawn by the server, GET /objects/{id}/card) with
// MAX's share (shareMaxContent), the phone's share sheet (shareContent) where there is one, and
// copying the link everywhere. Also the screen an object link opens: the object, or for one I
// may not see (or none at all: the same screen) a way to ask its owner for access.

import "./share_strings.js";
import "./profile_strings.js";
import { h, toast, emptyState } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic, canShareInMax, canShareNatively, shareInMax, shareNatively } from "../bridge.js";
import { defineView } from "../router.js";
import { addObjectAction, objectScreen } from "./object.js";
import { modal } from "./dialogs.js";

const SVG = "http://www.w3.org/2000/svg";

function shareIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", "M12 15V4M7.5 8.5 12 4l4.5 4.5M5 13v6h14v-6");
  svg.append(path);
  return svg;
}

async function copyText(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // no clipboard permission (an iframe, an old webview): select it for the person to copy
    input.focus();
    input.select();
    return document.execCommand?.("copy") || false;
  }
}

function cardFigure(object) {
  const figure = h("figure", { class: "share-card", "aria-busy": "true" },
    h("figcaption", { class: "share-card-state" }, t("cardLoading")));
  return figure;
}

async function loadCard(object, figure) {
  try {
    const card = await api.get(`/objects/${object.id}/card`, { lang: currentLanguage() });
    const image = h("img", { class: "share-card-image", id: "share-card-image", src: card.url,
      alt: t("cardAlt", { title: object.title }), width: 900 });
    image.addEventListener("load", () => figure.setAttribute("aria-busy", "false"), { once: true });
    figure.replaceChildren(image);
    return card;
  } catch (error) {
    figure.setAttribute("aria-busy", "false");
    figure.replaceChildren(h("figcaption", { class: "share-card-state" }, t("cardFailed")));
    return null;
  }
}

const MESSAGE_WAIT_MS = 3000;  // MAX wants the share close to the person's tap

// The bot sends the card into my chat with it; its mid once MAX has it (null if not in time).
async function cardMessage(object) {
  const sent = await api.post(`/objects/${object.id}/card/messages`);
  const until = Date.now() + MESSAGE_WAIT_MS;
  while (Date.now() < until) {
    const state = await api.get(`/objects/${object.id}/card/messages/${sent.message_id}`);
    if (state.mid) return state.mid;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return null;
}

function shareButtons(object, link, content) {
  const buttons = [];
  const done = (status) => { if (status !== "cancelled") { haptic.success(); toast(t("shared")); } };
  const failed = (error) => { haptic.error(); toast(error?.message || errorText(error)); };
  if (canShareInMax()) buttons.push(h("button", { type: "button", class: "button primary", id: "share-max",
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      const mid = await cardMessage(object).catch(() => null);
      button.disabled = false;
      // the bot's card message itself when it got there in time, else the text and the link
      shareInMax(mid ? { mid, chatType: "DIALOG" } : content()).then(done, failed);
    } }, t("shareInMax")));
  if (canShareNatively()) buttons.push(h("button", { type: "button", class: "button", id: "share-native",
    onclick: () => shareNatively(content()).then(done, failed) }, t("shareNative")));
  buttons.push(h("button", { type: "button", class: "button", id: "share-copy", onclick: async () => {
    if (await copyText(link.value, link)) { haptic.success(); toast(t("linkCopied")); }
  } }, t("copyLink")));
  return buttons;
}

export function openShareSheet(object) {
  const figure = cardFigure(object);
  const link = h("input", { class: "input share-link", id: "share-link", readonly: true,
    "aria-label": t("shareLink"), value: "" });
  const content = () => ({ text: `«${object.title}»`, link: link.value });
  const close = h("button", { type: "button", class: "button", id: "share-close", onclick: () => dialog.close() }, t("close"));
  const actions = h("div", { class: "share-actions" }, ...shareButtons(object, link, content));
  const dialog = modal(h("h2", {}, t("shareTitle", { title: object.title })), figure, link, actions,
    h("div", { class: "dialog-actions" }, close));
  dialog.classList.add("share-sheet");
  actions.hidden = true;
  close.focus();  // not the link field: a focus ring around it reads as "type here"
  loadCard(object, figure).then((card) => {
    link.value = card?.app_link || "";
    actions.hidden = !card;
    if (card && dialog.open) actions.querySelector(".button")?.focus({ preventScroll: true });
  });
  return dialog;
}

addObjectAction((object) => h("button", { type: "button", class: "button", id: "share",
  onclick: () => { haptic.tap(); openShareSheet(object); } }, shareIcon(), t("share")));

// ?startapp=o_<id>: the object, or one screen for "hidden" and "none" alike.
function lockedObject(id) {
  const ask = h("button", { type: "button", class: "button primary", id: "ask-access", onclick: async () => {
    ask.disabled = true;
    try {
      await api.post(`/objects/${Number(id)}/access-requests`);
      haptic.success();
      ask.textContent = t("requestDone");
      toast(t("objectAsked"));
    } catch (error) {
      toast(errorText(error));
      ask.disabled = false;
    }
  } }, t("requestAccess"));
  const node = emptyState(t("objectLockedTitle"), t("objectLockedText"), ask);
  node.classList.add("object-locked");
  return { title: t("app"), node };
}

async function objectLinkScreen(params) {
  try {
    return await objectScreen(params);
  } catch (error) {
    if (error.status === 404) return lockedObject(params.id);
    throw error;
  }
}

defineView("object_link", objectLinkScreen, { tab: "gallery" });
