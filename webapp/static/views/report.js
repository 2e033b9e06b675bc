// Moderation on an object page. Report, for anyone but its owner: a reason, a few words, sent to
// the operators; the answer (sent, already reported, …) is said in a toast. And for the owner of
// a hidden object (only they get `hidden` from the API), why the moderators hid it.

import { h, icon, toast } from "../dom.js";
import { t, errorText } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { isMe } from "../session.js";
import { addObjectAction, addObjectNotice } from "./object.js";
import { reportDialog } from "./moderation_dialogs.js";
import { reasonText } from "./moderation_strings.js";

async function sendReport(object, button) {
  const answer = await reportDialog(object);
  if (!answer) return;
  button.disabled = true;
  try {
    await api.post(`/objects/${object.id}/reports`, answer);
    haptic.success();
    toast(t("reportSent"));
  } catch (error) {
    haptic.error();
    toast(errorText(error));
  } finally {
    button.disabled = false;
  }
}

addObjectAction((object) => {
  if (isMe(object.owner.id)) return null;
  const button = h("button", { type: "button", class: "button report", id: "report" },
    icon("flag"), t("report"));
  button.addEventListener("click", () => sendReport(object, button));
  return button;
});

// The reason is a report kind (translated) or the operator's words, as text.
addObjectNotice((object) => (object.hidden
  ? h("div", { class: "mod-notice", id: "hidden-notice", role: "status" }, icon("shield"),
    h("span", {}, h("span", { class: "mod-notice-line" }, h("strong", {}, t("hiddenNotice")), " ",
      reasonText(object.hidden.reason)), h("span", { class: "mod-notice-text" }, t("hiddenNoticeText"))))
  : null));
