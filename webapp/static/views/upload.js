// Add a photo: pick it, name it, send it with a progress bar; refusals are said plainly.

import { h, icon, toast } from "../dom.js";
import { t, errorText } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go, openTab, markChanged } from "../router.js";

function field(id, label, control, hint) {
  return h("div", { class: "field" }, h("label", { class: "field-label", for: id }, label), control,
    hint && h("span", { class: "hint", id: `${id}-hint` }, hint));
}

function picker(onPick) {
  const input = h("input", { type: "file", accept: "image/*", id: "upload-file", name: "file",
    "aria-describedby": "upload-file-hint" });
  const preview = h("div", { class: "dropzone-content" },
    icon("plus"), h("strong", {}, t("choosePhoto")), h("span", { class: "hint", id: "upload-file-hint" }, t("choosePhotoHint")));
  let previewUrl = null;
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = file ? URL.createObjectURL(file) : null;
    if (file) preview.replaceChildren(h("img", { src: previewUrl, alt: file.name }));
    onPick(file || null);
  });
  const label = h("label", { class: "dropzone", for: "upload-file" },
    h("span", { class: "visually-hidden" }, t("choosePhoto")), preview, input);
  return label;
}

defineView("upload", async () => {
  let file = null;
  const title = h("input", { class: "input", id: "upload-title", name: "title", maxlength: "200", autocomplete: "off" });
  const description = h("textarea", { class: "input", id: "upload-description", name: "description", maxlength: "4000" });
  const progress = h("progress", { class: "progress", max: "1", value: "0", hidden: true, "aria-label": t("uploading", { pct: 0 }) });
  const message = h("p", { class: "error", id: "upload-error", role: "alert" });
  const submit = h("button", { type: "submit", class: "button primary wide", id: "upload-submit" }, t("upload"));

  async function send(event) {
    event.preventDefault();
    message.textContent = "";
    if (!file) { message.textContent = t("pickFirst"); return; }
    const form = new FormData();
    form.append("file", file, file.name);
    if (title.value.trim()) form.append("title", title.value.trim());
    if (description.value.trim()) form.append("description", description.value.trim());
    submit.disabled = true;
    progress.hidden = false;
    const onProgress = (share) => {
      progress.value = share;
      submit.textContent = t("uploading", { pct: Math.round(share * 100) });
    };
    try {
      const object = await api.upload("/photos", form, onProgress);
      markChanged();
      haptic.success();
      toast(t("uploaded"));
      await openTab("gallery");
      go("object", { id: object.id });
    } catch (error) {
      haptic.error();
      message.textContent = errorText(error);
    } finally {
      submit.disabled = false;
      submit.textContent = t("upload");
      progress.hidden = true;
    }
  }

  const node = h("form", { class: "upload", id: "upload-form", onsubmit: send, novalidate: true },
    picker((picked) => { file = picked; message.textContent = ""; }),
    field("upload-title", t("title"), title, t("titleHint")),
    field("upload-description", t("description"), description),
    message, progress, submit);
  return { title: t("uploadTitle"), node };
});
