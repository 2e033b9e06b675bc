// A collection I may not see: whose it is, why it is closed, and asking for access (only where
// asking can help: an "approved" profile) or withdrawing the request I already made.

import "./profile_strings.js";
import { h, icon, toast } from "../dom.js";
import { t, errorText } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { markChanged } from "../router.js";

function actionButton(id, label, className, reload, run) {
  const button = h("button", { type: "button", class: `button ${className}`, id, onclick: async () => {
    button.disabled = true;
    try {
      await run();
      haptic.success();
      markChanged();
    } catch (error) {
      haptic.error();
      toast(errorText(error));
      button.disabled = false;
      // the request moved on elsewhere (decided, expired, made from the chat): show where it is
      if (error.status === 409) reload();
    }
  } }, label);
  return button;
}

// The answer comes as a push in the chat; coming back to the app shows what it was.
function refreshWhenShownAgain(node, reload) {
  const check = () => {
    if (node.isConnected && document.visibilityState !== "visible") return;
    document.removeEventListener("visibilitychange", check);
    if (node.isConnected) reload();
  };
  document.addEventListener("visibilitychange", check);
  return node;
}

function askButton(profile, reload) {
  return actionButton("request-access", t("requestAccess"), "primary", reload, async () => {
    await api.post("/profile-requests", { target_id: profile.user.id });
    toast(t("requestDone"));
    reload();
  });
}

function pendingState(profile, name, reload) {
  const withdraw = actionButton("request-withdraw", t("withdraw"), "danger", reload, async () => {
    await api.post(`/profile-requests/${profile.request_id}/cancel`);
    toast(t("requestWithdrawn"));
    reload();
  });
  return refreshWhenShownAgain(h("div", { class: "locked-pending" },
    h("p", { class: "status-line", id: "request-status" }, t("requestSent", { name })), withdraw), reload);
}

function lockedActions(profile, name, reload) {
  if (profile.access === "pending" && profile.request_id) return pendingState(profile, name, reload);
  if (profile.privacy === "approved" && profile.access === "none") return askButton(profile, reload);
  return null;
}

export function lockedView(profile, name, reload) {
  const why = profile.privacy === "private" ? "lockedPrivate" : "lockedApproved";
  return h("section", { class: "locked center-state", id: "profile-locked", "aria-labelledby": "locked-title" },
    h("span", { class: "locked-mark" }, icon("lock")),
    h("h2", { id: "locked-title" }, t("lockedTitle")),
    h("p", { id: "locked-why" }, t(why, { name })),
    lockedActions(profile, name, reload));
}
