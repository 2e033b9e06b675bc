// The inbox's profile requests: asked of me (approve / decline), or asked by me (withdraw).

import "./profile_strings.js";
import { h, avatar, toast, formatDate } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { go, markChanged } from "../router.js";
import { session } from "../session.js";

const DONE = { approve: "approved", decline: "declinedRequest", cancel: "requestWithdrawn" };

async function decide(request, action, refresh) {
  try {
    await api.post(`/profile-requests/${request.id}/${action}`);
    haptic.success();
    toast(t(DONE[action]));
    markChanged();
  } catch (error) {
    haptic.error();
    toast(errorText(error));
  }
  refresh();
}

function actions(request, incoming, refresh) {
  const button = (action, label, className) => h("button", { type: "button", class: `button ${className}`,
    dataset: { action }, onclick: () => decide(request, action, refresh) }, label);
  return h("span", { class: "row-actions" }, incoming
    ? [button("approve", t("approve"), "primary"), button("decline", t("decline"), "")]
    : [button("cancel", t("withdraw"), "danger")]);
}

function requestRow(request, incoming, refresh) {
  const name = incoming ? request.requester_name : request.target_name;
  const other = incoming ? request.requester_id : request.target_id;
  const until = t("expiresAt", { when: formatDate(request.expires_at, currentLanguage()) });
  return h("li", { class: "row request", dataset: { requestId: request.id } },
    h("button", { type: "button", class: "row-thumb", "aria-label": name, onclick: () => go("profile", { id: other }) },
      avatar(name, null)),
    h("span", { class: "row-main" },
      h("span", { class: "row-title wrap" }, t(incoming ? "asksToSee" : "youAsked", { name })),
      h("span", { class: "row-sub" }, until)),
    actions(request, incoming, refresh));
}

// Pending requests of one box as a section, or null when there are none.
export async function requestSection(box, refresh) {
  if (!session.features.profiles) return null;
  const { items } = await api.get("/profile-requests", { box, status: "pending" });
  if (!items.length) return null;
  const incoming = box === "incoming";
  return h("section", { class: "inbox-section", id: `requests-${box}`, "aria-labelledby": `requests-${box}-title` },
    h("h3", { class: "section-title", id: `requests-${box}-title` }, t(incoming ? "requests" : "myRequests")),
    h("ul", { class: "rows" }, items.map((request) => requestRow(request, incoming, refresh))));
}
