// My privacy: who sees my collection (saved at once, effective everywhere at once), and the
// people I have let in, each of whom I can shut out again.

import "./profile_strings.js";
import { h, icon, avatar, toast, formatDate } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go, replace, markChanged } from "../router.js";
import { session } from "../session.js";
import { extensions } from "../extensions.js";
import { confirmDialog } from "./dialogs.js";
import { fullName } from "./profile.js";

const LEVELS = ["public", "approved", "private"];

function choice(level, current) {
  const id = `privacy-${level}`;
  return h("label", { class: "choice", for: id },
    h("input", { type: "radio", name: "privacy", value: level, id, checked: level === current,
      "aria-describedby": `${id}-hint` }),
    h("span", { class: "choice-text" }, h("strong", {}, t(`privacy_${level}`)),
      h("span", { class: "hint", id: `${id}-hint` }, t(`privacy_${level}Hint`))));
}

function privacyForm() {
  const fieldset = h("fieldset", { class: "card choices", id: "privacy" },
    h("legend", {}, t("privacyLegend")), LEVELS.map((level) => choice(level, session.me.privacy)));
  fieldset.addEventListener("change", async (event) => {
    const wanted = event.target.value;
    fieldset.disabled = true;
    try {
      session.me = await api.patch("/me", { privacy: wanted });
      haptic.success();
      markChanged();
      toast(t("privacySaved", { who: t(`privacy_${wanted}`) }));
    } catch (error) {
      haptic.error();
      toast(errorText(error));
    } finally {
      fieldset.querySelector(`#privacy-${session.me.privacy}`).checked = true;
      fieldset.disabled = false;
    }
  });
  return fieldset;
}

async function revoke(request) {
  if (!(await confirmDialog(t("revokeConfirm", { name: request.requester_name }), t("revoke")))) return;
  try {
    await api.post(`/profile-requests/${request.id}/revoke`);
    haptic.success();
    toast(t("revoked"));
    markChanged();
    replace("settings");
  } catch (error) { toast(errorText(error)); }
}

function approvedRow(request) {
  const name = request.requester_name;
  return h("li", { class: "row", dataset: { requestId: request.id } },
    h("button", { type: "button", class: "row-thumb", "aria-label": name,
      onclick: () => go("profile", { id: request.requester_id }) }, avatar(name, null)),
    h("span", { class: "row-main" }, h("span", { class: "row-title" }, name),
      h("span", { class: "row-sub" }, t("approvedSince", { when: formatDate(request.decided_at, currentLanguage()) }))),
    h("span", { class: "row-actions" }, h("button", { type: "button", class: "button danger",
      onclick: () => revoke(request) }, t("revoke"))));
}

async function approvedCard() {
  const { items } = await api.get("/profile-requests", { box: "incoming", status: "all" });
  const approved = items.filter((request) => request.status === "approved");
  return h("section", { class: "card", "aria-labelledby": "approved-title" },
    h("h3", { id: "approved-title" }, t("approvedPeople")),
    approved.length
      ? h("ul", { class: "rows", id: "approved-list" }, approved.map(approvedRow))
      : h("p", { class: "hint", id: "approved-empty" }, t("noApproved")));
}

defineView("settings", async () => {
  const node = h("div", { class: "settings" }, privacyForm(), await approvedCard());
  return { title: t("privacy"), node };
}, { tab: "mine" });

// Above my objects: me, who sees them, and the way to my profile and the setting.
export function meCard() {
  const me = session.me;
  const name = fullName(me);
  const card = h("div", { class: "me-card" },
    h("button", { type: "button", class: "person", id: "my-profile", onclick: () => go("profile", { id: me.id }) },
      avatar(name, me.avatar_url), h("span", {}, h("span", { class: "person-name" }, name),
        h("span", { class: "person-role" }, t("visibleTo", { who: t(`privacy_${me.privacy}`) })))),
    h("button", { type: "button", class: "button", id: "open-settings", onclick: () => go("settings") },
      icon("lock"), t("privacy")));
  const extra = extensions.meActions.map((entry) => entry()).filter(Boolean);
  return extra.length ? h("div", {}, card, ...extra) : card;
}
