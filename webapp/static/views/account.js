// My data: an export of everything I have (built in the background, downloaded by a signed
// link through MAX's downloadFile), and deleting my account after a warning that says exactly
// what will happen and a typed confirmation (docs/account-deletion.md).

import { h, icon, toast, formatDate, stopState, $ } from "../dom.js";
import { t, errorText, currentLanguage, addStrings } from "../i18n.js";
import * as api from "../api.js";
import { haptic, downloadFile } from "../bridge.js";
import { defineView, go, replace } from "../router.js";
import { extensions } from "../extensions.js";
import { modal } from "./dialogs.js";

addStrings({
  en: {
    myData: "My data", exportTitle: "Export my data", exportStart: "Prepare an export",
    exportText: "A zip of your objects with their histories, favourites, trades, transfers, requests and the original photos of what you own.",
    exportQueued: "Waiting to be built…", exportBuilding: "Being built…", exportReady: "Ready · {size}",
    exportFailed: "Could not be built", exportTooLarge: "Too large to build", exportDownload: "Download",
    exportKept: "Kept until {when}", exportAsked: "Your export is being prepared",
    deleteTitle: "Delete my account", deleteStart: "Delete my account…",
    deleteText: "Your objects and their photos are removed; other people's histories keep you as “deleted account”.",
    deleteQuestion: "Delete your account?",
    deleteOwned: "The objects you own ({n}) and their photos are removed from the gallery.",
    deleteOpen: "Open trades ({trades}), transfers ({transfers}) and access requests ({requests}) are cancelled; the other side is told.",
    deleteHistory: "Other people's object histories keep you as “deleted account”.",
    deleteRest: "Favourites, logins and settings are deleted. This cannot be undone.",
    deleteWord: "DELETE", deleteType: "Type {word} to confirm", deleteConfirm: "Delete for good",
    deleteChanged: "Something changed since the warning. Look again.",
    deletedTitle: "Your account is deleted", deletedText: "If you come back, you start afresh.",
  },
  ru: {
    myData: "Мои данные", exportTitle: "Выгрузка данных", exportStart: "Подготовить архив",
    exportText: "Zip с вашими объектами и их историей, избранным, сделками, передачами, запросами и оригиналами фото того, чем вы владеете.",
    exportQueued: "Ждёт сборки…", exportBuilding: "Собирается…", exportReady: "Готов · {size}",
    exportFailed: "Не удалось собрать", exportTooLarge: "Слишком большой", exportDownload: "Скачать",
    exportKept: "Хранится до {when}", exportAsked: "Архив готовится",
    deleteTitle: "Удаление аккаунта", deleteStart: "Удалить аккаунт…",
    deleteText: "Ваши объекты и их фото будут удалены; в чужих историях вы останетесь как «deleted account».",
    deleteQuestion: "Удалить аккаунт?",
    deleteOwned: "Объекты в вашем владении ({n}) и их фото будут удалены из галереи.",
    deleteOpen: "Открытые обмены ({trades}), передачи ({transfers}) и запросы доступа ({requests}) отменятся, другая сторона получит уведомление.",
    deleteHistory: "В историях чужих объектов вы останетесь как «deleted account».",
    deleteRest: "Избранное, входы и настройки удалятся. Это нельзя отменить.",
    deleteWord: "УДАЛИТЬ", deleteType: "Введите {word} для подтверждения", deleteConfirm: "Удалить навсегда",
    deleteChanged: "С момента предупреждения что-то изменилось. Посмотрите ещё раз.",
    deletedTitle: "Аккаунт удалён", deletedText: "Если вернётесь, всё начнётся с чистого листа.",
  },
});

const POLL_MS = 1500;
const megabytes = (bytes) => `${Math.max(0.1, Math.round(bytes / 1e5) / 10)} MB`;

function exportState(item) {
  if (item.state === "ready") return t("exportReady", { size: megabytes(item.byte_size) });
  if (item.state === "failed") return t(item.failure === "too_large" ? "exportTooLarge" : "exportFailed");
  return t(item.state === "queued" ? "exportQueued" : "exportBuilding");
}

async function download(item) {
  try {
    const link = await api.post(`/account/exports/${item.id}/link`);
    await downloadFile(link.url, link.file_name);
    haptic.success();
  } catch (error) { haptic.error(); toast(errorText(error)); }
}

function exportRow(item) {
  const when = formatDate(item.created_at, currentLanguage());
  return h("li", { class: "row export-row", dataset: { exportId: item.id, state: item.state } },
    h("span", { class: "row-main" }, h("span", { class: "row-title" }, when),
      h("span", { class: "row-sub" }, exportState(item))),
    item.state === "ready" && h("span", { class: "row-actions" }, h("button", { type: "button",
      class: "button primary export-download", onclick: () => download(item) }, t("exportDownload"))));
}

async function askExport(button) {
  button.disabled = true;
  try {
    await api.post("/account/exports", { deliver: "link" });
    haptic.success();
    toast(t("exportAsked"));
    replace("account");
  } catch (error) { haptic.error(); toast(errorText(error)); button.disabled = false; }
}

function pollWhileBuilding(list, items) {
  if (!items.some((item) => item.state === "queued" || item.state === "building")) return;
  setTimeout(async () => {
    if (!list.isConnected) return;
    const { items: fresh } = await api.get("/account/exports");
    list.replaceChildren(...fresh.map(exportRow));
    pollWhileBuilding(list, fresh);
  }, POLL_MS);
}

async function exportCard() {
  const { items } = await api.get("/account/exports");
  const list = h("ul", { class: "rows", id: "export-list" }, items.map(exportRow));
  const start = h("button", { type: "button", class: "button primary", id: "export-start",
    onclick: () => askExport(start) }, t("exportStart"));
  pollWhileBuilding(list, items);
  return h("section", { class: "card account-card", "aria-labelledby": "export-title" },
    h("h3", { id: "export-title" }, t("exportTitle")), h("p", { class: "hint" }, t("exportText")),
    start, list);
}

function warningList(summary) {
  return h("ul", { class: "delete-facts", id: "delete-facts" },
    h("li", {}, t("deleteOwned", { n: summary.owned_objects })),
    h("li", {}, t("deleteOpen", { trades: summary.open_trades, transfers: summary.open_transfers,
      requests: summary.open_requests })),
    h("li", {}, t("deleteHistory")), h("li", {}, t("deleteRest")));
}

function deletedScreen() {
  for (const id of ["tabs", "back", "scan"]) $(id).hidden = true;
  $("title").textContent = t("app");
  $("view").replaceChildren(stopState(t("deletedTitle"), t("deletedText")));
  document.body.dataset.state = "deleted";
}

async function confirmDeletion(warning, dialog, button) {
  button.disabled = true;
  try {
    await api.post("/account/deletion/confirm", { token: warning.token });
    haptic.success();
    dialog.close();
    deletedScreen();
  } catch (error) {
    haptic.error();
    dialog.close();
    toast(error.code === "deletion_changed" ? t("deleteChanged") : errorText(error));
    if (error.code === "deletion_changed") openDeletion();
  }
}

// What the person confirms is what this dialog shows: the token is bound to these counts.
async function openDeletion() {
  let warning;
  try { warning = await api.post("/account/deletion"); } catch (error) { toast(errorText(error)); return; }
  const word = t("deleteWord");
  const input = h("input", { class: "input", id: "delete-word", autocomplete: "off", autocapitalize: "characters",
    "aria-label": t("deleteType", { word }), placeholder: word });
  const yes = h("button", { type: "button", class: "button danger-fill", id: "delete-confirm", disabled: true },
    t("deleteConfirm"));
  const no = h("button", { type: "button", class: "button", onclick: () => dialog.close() }, t("cancel"));
  const dialog = modal(h("h2", {}, t("deleteQuestion")), warningList(warning.summary),
    h("label", { class: "field-label", for: "delete-word" }, t("deleteType", { word })), input,
    h("div", { class: "dialog-actions" }, no, yes));
  dialog.classList.add("delete-dialog");
  input.addEventListener("input", () => { yes.disabled = input.value.trim().toUpperCase() !== word; });
  yes.addEventListener("click", () => confirmDeletion(warning, dialog, yes));
  input.focus();
}

function deleteCard() {
  return h("section", { class: "card account-card danger-zone", "aria-labelledby": "delete-title" },
    h("h3", { id: "delete-title" }, t("deleteTitle")), h("p", { class: "hint" }, t("deleteText")),
    h("button", { type: "button", class: "button danger", id: "delete-start", onclick: openDeletion },
      icon("trash"), t("deleteStart")));
}

defineView("account", async () => {
  const node = h("div", { class: "account" }, await exportCard(), deleteCard());
  return { title: t("myData"), node };
}, { tab: "mine" });

extensions.startParams.push(async (param) => {
  if (param !== "account") return false;
  await go("account");
  return true;
});

extensions.meActions.push(() => h("button", { type: "button", class: "button account-entry", id: "open-account",
  onclick: () => go("account") }, t("myData")));
