// The report dialog (what is wrong, in a few words) and the operators' "why" dialog.

import { h } from "../dom.js";
import { t } from "../i18n.js";
import { modal, field } from "./dialogs.js";
import { KINDS, QUICK_KINDS } from "./moderation_strings.js";

const REASON_MAX = "500";

function kindChoices(name, kinds, legend) {
  const choice = (kind) => {
    const id = `${name}-${kind}`;
    return h("label", { class: "choice", for: id },
      h("input", { type: "radio", name, value: kind, id, required: true }),
      h("span", { class: "choice-text" }, h("strong", {}, t(`kind_${kind}`))));
  };
  return h("fieldset", { class: "choices", id: name }, h("legend", {}, legend), kinds.map(choice));
}

function details(id, label, hint, required) {
  const text = h("textarea", { class: "input", id, maxlength: REASON_MAX, required,
    "aria-describedby": `${id}-hint` });
  return [text, field(id, label, text), h("p", { class: "hint", id: `${id}-hint` }, hint)];
}

function buttons(dialog, sendId, sendLabel, danger) {
  return h("div", { class: "dialog-actions" },
    h("button", { type: "button", class: "button", onclick: () => dialog.close() }, t("cancel")),
    h("button", { type: "submit", class: `button ${danger ? "danger" : "primary"}`, id: sendId }, sendLabel));
}

function chosen(form, name) {
  return form.querySelector(`input[name="${name}"]:checked`)?.value || "";
}

// Resolves with { kind, reason } for POST /objects/{id}/reports, or null.
export function reportDialog(object) {
  return new Promise((resolve) => {
    let result = null;
    const [text, textField, hint] = details("report-details", t("reportDetails"), t("reportDetailsHint"), false);
    const form = h("form", { method: "dialog", class: "report-form" });
    const dialog = modal(form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const kind = chosen(form, "report-kind");
      result = { kind, reason: text.value.trim() || kind };
      dialog.close();
    });
    form.append(h("h2", {}, t("reportTitle", { title: object.title })),
      kindChoices("report-kind", KINDS, t("reportWhy")), textField, hint,
      buttons(dialog, "report-send", t("reportSend"), false));
    dialog.addEventListener("close", () => resolve(result));
    form.querySelector("input").focus();
  });
}

// Why an operator acts: quick reasons (hide, ban) and/or their own words; resolves with the
// reason ("" allowed when not required), or null when cancelled.
export function reasonDialog({ question, hint, quick = false, required = true, danger = false }) {
  return new Promise((resolve) => {
    let result = null;
    const [text, textField, hintNode] = details("reason-text", t("modReasonText"), hint, required && !quick);
    const form = h("form", { method: "dialog", class: "reason-form" });
    const dialog = modal(form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      result = text.value.trim() || chosen(form, "reason-kind");
      dialog.close();
    });
    const parts = quick ? [kindChoices("reason-kind", QUICK_KINDS, hint), textField] : [textField, hintNode];
    form.append(h("h2", {}, question), ...parts, buttons(dialog, "reason-confirm", t("modConfirm"), danger));
    dialog.addEventListener("close", () => resolve(result));
    (form.querySelector("input") || text).focus();
  });
}
