// Report on an object page, for anyone but its owner: a reason, a few words, sent to the
// operators; the answer (sent, already reported, …) is said in a toast.

import { h, icon, toast } from "../dom.js";
import { t, errorText } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { isMe } from "../session.js";
import { addObjectAction } from "./object.js";
import { reportDialog } from "./moderation_dialogs.js";

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
