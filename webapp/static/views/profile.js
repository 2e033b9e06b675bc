// Someone's profile: who they are, their counts, and their collection — or, when they do not
// show it to me, why not and what I can do about it.

import "./profile_strings.js";
import { h, icon, avatar, emptyState } from "../dom.js";
import { t } from "../i18n.js";
import * as api from "../api.js";
import { defineView, go, replace } from "../router.js";
import { isMe, session } from "../session.js";
import { objectGrid } from "./grid.js";
import { lockedView } from "./profile_locked.js";

export function fullName(user) {
  return [user.first_name, user.last_name].filter(Boolean).join(" ") || "—";
}

function stat(id, value, label) {
  return h("div", { class: "stat" }, h("strong", { id }, String(value)), h("span", {}, label));
}

// My own profile says who sees it and leads to the setting.
function privacyButton() {
  const who = t(`privacy_${session.me.privacy}`);
  return h("button", { type: "button", class: "chip", id: "profile-privacy", onclick: () => go("settings") },
    icon("lock"), t("visibleTo", { who }));
}

function header(profile, name) {
  return h("header", { class: "profile-head" },
    avatar(name, profile.user.avatar_url, "avatar large"),
    h("div", { class: "profile-id" },
      h("h2", { class: "profile-name", id: "profile-name" }, name),
      profile.access === "self" ? privacyButton() : null),
    // the counts are part of what privacy hides: null unless the collection is open to me
    profile.owned === null ? null : h("div", { class: "stats" },
      stat("stat-owned", profile.owned, t("statOwned")),
      stat("stat-created", profile.created, t("statCreated")),
      stat("stat-favorites", profile.favorites_received, t("statFavorites"))));
}

function collection(userId) {
  const load = (cursor, limit) => api.get("/objects", { limit, cursor, owner: userId });
  return objectGrid(load, () => emptyState(t("emptyOwner"), "")).node;
}

async function profileScreen({ id }) {
  let profile;
  try {
    profile = await api.get(`/users/${Number(id)}`);
  } catch (error) {
    if (error.code !== "user_not_found") throw error;
    return { title: t("profile"), node: emptyState(t("noSuchPerson"), t("noSuchPersonText")) };
  }
  const name = fullName(profile.user);
  if (isMe(profile.user.id)) session.me = { ...session.me, privacy: profile.privacy };
  const reload = () => replace("profile", { id: profile.user.id });
  const body = profile.can_view ? collection(profile.user.id) : lockedView(profile, name, reload);
  const node = h("div", { class: "profile", dataset: { access: profile.access, privacy: profile.privacy } },
    header(profile, name), body);
  return { title: name, node };
}

defineView("profile", profileScreen, { tab: "gallery" });
