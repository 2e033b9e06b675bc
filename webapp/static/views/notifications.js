// My notification settings: one switch per kind of push the bot sends me, saved at once
// (PATCH /api/me/notifications names only the switch that moved). Reached from the Mine tab.

import "./notifications_strings.js";
import { h, icon, toast } from "../dom.js";
import { t, errorText } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go } from "../router.js";
import { extensions } from "../extensions.js";

const KINDS = ["trades", "transfers", "requests", "favorites", "moderation"];

function toggle(kind, on) {
  const id = `notify-${kind}`;
  const input = h("input", { type: "checkbox", role: "switch", id, name: kind, checked: on,
    "aria-describedby": `${id}-hint` });
  return h("label", { class: "switch-row", for: id },
    h("span", { class: "switch-text" }, h("strong", {}, t(`notify_${kind}`)),
      h("span", { class: "hint", id: `${id}-hint` }, t(`notify_${kind}Hint`))),
    input, h("span", { class: "switch-track", "aria-hidden": "true" }));
}

async function save(fieldset, input) {
  const kind = input.name;
  const wanted = input.checked;
  fieldset.disabled = true;
  try {
    const switches = await api.patch("/me/notifications", { [kind]: wanted });
    input.checked = switches[kind];
    haptic.success();
    toast(t(wanted ? "notifyOn" : "notifyOff", { what: t(`notify_${kind}`) }));
  } catch (error) {
    input.checked = !wanted;
    haptic.error();
    toast(errorText(error));
  } finally {
    fieldset.disabled = false;
  }
}

function switchesCard(switches) {
  const fieldset = h("fieldset", { class: "card switches", id: "notification-switches" },
    h("legend", {}, t("notificationsLegend")),
    h("p", { class: "hint switches-intro" }, t("notificationsIntro")),
    KINDS.map((kind) => toggle(kind, switches[kind])));
  fieldset.addEventListener("change", (event) => save(fieldset, event.target));
  return fieldset;
}

defineView("notifications", async () => {
  const switches = await api.get("/me/notifications");
  const node = h("div", { class: "settings notifications" }, switchesCard(switches),
    h("p", { class: "hint switches-always", id: "notifications-always" }, t("notificationsAlways")));
  return { title: t("notifications"), node };
}, { tab: "mine" });

extensions.meActions.push(() => h("button", { type: "button", class: "button notify-entry",
  id: "open-notifications", onclick: () => go("notifications") }, icon("bell"), t("notifications")));
