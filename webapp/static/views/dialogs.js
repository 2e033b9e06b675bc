// Modal dialogs built on <dialog>: they trap focus and close on Escape by themselves.

import { h } from "../dom.js";
import { t } from "../i18n.js";

export function modal(...children) {
  const dialog = h("dialog", {}, ...children);
  document.body.append(dialog);
  dialog.addEventListener("close", () => dialog.remove());
  dialog.showModal();
  return dialog;
}

export function confirmDialog(question, confirmLabel, { danger = true } = {}) {
  return new Promise((resolve) => {
    let answer = false;
    const yes = h("button", { type: "button", class: `button ${danger ? "danger" : "primary"}`, id: "confirm-yes",
      onclick: () => { answer = true; dialog.close(); } }, confirmLabel);
    const no = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, t("cancel"));
    const dialog = modal(h("h2", {}, question), h("div", { class: "dialog-actions" }, no, yes));
    dialog.addEventListener("close", () => resolve(answer));
    no.focus();
  });
}

export function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { class: "field-label", for: id }, label), control);
}

// Title and description of an object; resolves with the changed fields, or null.
export function editDialog(object) {
  return new Promise((resolve) => {
    let result = null;
    const title = h("input", { class: "input", id: "edit-title", value: object.title, required: true, maxlength: "200" });
    const description = h("textarea", { class: "input", id: "edit-description", maxlength: "4000" });
    description.value = object.description || "";
    const form = h("form", { method: "dialog", onsubmit: (e) => {
      e.preventDefault();
      if (!title.value.trim()) { title.focus(); return; }
      result = {};
      if (title.value.trim() !== object.title) result.title = title.value.trim();
      if (description.value !== (object.description || "")) result.description = description.value;
      if (!Object.keys(result).length) result = null;
      dialog.close();
    } },
    h("h2", {}, t("edit")),
    field("edit-title", t("title"), title),
    field("edit-description", t("description"), description),
    h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, t("cancel")),
      h("button", { type: "submit", class: "button primary", id: "edit-save" }, t("save"))));
    const dialog = modal(form);
    dialog.addEventListener("close", () => resolve(result));
    title.focus();
  });
}
