// One art object: large preview, title, description, owner, favourites, history, owner actions.

import { h, icon, photo, toast, formatDate, avatar } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go, back, replace, markChanged } from "../router.js";
import { session, isMe } from "../session.js";
import { placeholderURL } from "../thumbhash.js";
import { editDialog, confirmDialog } from "./dialogs.js";
import { holdNotice, allowedWhileHeld } from "./holds.js";

const actionHooks = [];
const noticeHooks = [];

// Later features (transfers, trades) add buttons for an object here: (object) => Node | null.
export function addObjectAction(hook) {
  actionHooks.push(hook);
}

// …and notices above the photo (moderation: "hidden by the moderators"): (object) => Node | null.
export function addObjectNotice(hook) {
  noticeHooks.push(hook);
}

function hero(object) {
  const figure = h("figure", { class: "object-hero" }, photo(object.media.preview, object.title));
  figure.style.aspectRatio = `${object.photo.width} / ${object.photo.height}`;
  const placeholder = placeholderURL(object.photo.placeholder);
  if (placeholder) figure.style.backgroundImage = `url("${placeholder}")`;
  return figure;
}

function favoriteButton(object) {
  const count = h("span", { class: "fav-count" }, String(object.favorite_count));
  const button = h("button", { type: "button", class: "fav", id: "favorite" }, icon("heart"), count);
  const paint = (state) => {
    button.setAttribute("aria-pressed", String(state.favorited));
    button.setAttribute("aria-label", `${state.favorited ? t("unfavorite") : t("favorite")} (${state.favorite_count})`);
    count.textContent = String(state.favorite_count);
  };
  paint(object);
  button.addEventListener("click", async () => {
    const want = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    haptic.tap();
    try {
      const path = `/objects/${object.id}/favorite`;
      paint(want ? await api.put(path) : await api.del(path));
      markChanged();
    } catch (error) {
      toast(errorText(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function person(role, user, onOpen) {
  return h("button", { type: "button", class: "person", onclick: onOpen },
    avatar(user.name, user.avatar), h("span", {}, h("span", { class: "person-role" }, role), h("span", { class: "person-name" }, user.name)));
}

// /history answers with a readable `text` per event; the object's own list has only the facts.
// A person hidden from me (their collection is not open to me) comes as null: named generically.
function historyLine(entry) {
  const someone = t("someone");
  const names = { from: entry.from?.name || someone, to: entry.to?.name || someone };
  const reason = entry.event || entry.reason;
  const key = reason === "created" ? "created" : ["transfer", "trade"].includes(reason) ? reason : "moved";
  return h("li", {}, h("span", {}, entry.text || t(key, names)),
    h("time", { datetime: entry.at }, formatDate(entry.at, currentLanguage())));
}

async function historyCard(object) {
  let entries = object.history || [];
  if (session.features.history) {
    try {
      entries = await api.get(`/objects/${object.id}/history`, { lang: currentLanguage() });
    } catch { /* the object's own history is still shown */ }
  }
  if (!entries.length) return null;
  return h("section", { class: "card", "aria-labelledby": "history-title" },
    h("h3", { id: "history-title" }, t("history")), h("ol", { class: "timeline" }, entries.map(historyLine)));
}

function ownerActions(object, reload) {
  const edit = h("button", { type: "button", class: "button", id: "edit", onclick: async () => {
    const changes = await editDialog(object);
    if (!changes) return;
    try {
      await api.patch(`/objects/${object.id}`, changes);
      markChanged();
      toast(t("saved"));
      reload();
    } catch (error) { toast(errorText(error)); }
  } }, icon("edit"), t("edit"));
  const neverMoved = (object.history || []).length <= 1 && isMe(object.creator_id);
  const remove = neverMoved && h("button", { type: "button", class: "button danger", id: "delete", onclick: async () => {
    if (!(await confirmDialog(t("deleteConfirm", { title: object.title }), t("delete")))) return;
    try {
      await api.del(`/objects/${object.id}`);
      markChanged();
      haptic.success();
      toast(t("deleted"));
      back();
    } catch (error) { toast(errorText(error)); }
  } }, icon("trash"), t("delete"));
  return [edit, remove];
}

function facts(object) {
  const lang = currentLanguage();
  return h("p", { class: "facts" },
    h("span", {}, `${object.photo.width} × ${object.photo.height}`),
    h("span", {}, formatDate(object.created_at, lang)));
}

export async function objectScreen({ id }) {
  const object = await api.get(`/objects/${Number(id)}`);
  const mine = isMe(object.owner.id);
  const reload = () => replace("object", { id: object.id });
  const openOwner = () => go("profile", { id: object.owner.id });
  const extra = actionHooks.map((hook) => hook(object)).filter((node) => node && allowedWhileHeld(object, node));
  const actions = [...(mine ? ownerActions(object, reload) : []), ...extra];
  const notices = [holdNotice(object, reload), ...noticeHooks.map((hook) => hook(object))];
  const node = h("article", { class: "object", dataset: { objectId: object.id } },
    notices, hero(object),
    h("div", { class: "object-head" }, h("h2", { class: "object-title", id: "object-title" }, object.title),
      favoriteButton(object)),
    object.description && h("p", { class: "object-description" }, object.description),
    facts(object),
    person(t("owner"), object.owner, openOwner),
    actions.length ? h("div", { class: "actions" }, actions) : null,
    await historyCard(object));
  return { title: object.title, node };
}

defineView("object", objectScreen, { tab: "gallery" });
