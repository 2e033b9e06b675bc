// Boot: read MAX's launch data, log in, pick the language, open the screen the launch asks for.

import { $, h, stopState } from "./dom.js";
import { t, setLanguage } from "./i18n.js";
import * as api from "./api.js";
import { webApp, startParam, launchLanguage, ready } from "./bridge.js";
import { setTabs, openTab, go, localiseChrome } from "./router.js";
import { session, readFeatures } from "./session.js";
import { extensions } from "./extensions.js";
import "./views/index.js";

const TABS = [
  { view: "gallery", icon: "grid", label: "tabGallery" },
  { view: "mine", icon: "mine", label: "tabMine" },
  { view: "upload", icon: "plus", label: "tabUpload" },
  { view: "favorites", icon: "heart", label: "tabFavorites" },
];
const INBOX_TAB = { view: "inbox", icon: "inbox", label: "tabInbox" };

function stop(titleKey, textKey, ...actions) {
  $("tabs").hidden = true;
  $("back").hidden = true;
  $("title").textContent = t("app");
  $("view").replaceChildren(stopState(t(titleKey), t(textKey), ...actions));
  document.body.dataset.state = titleKey;
}

// Reuse this tab's login while it lasts (a reload), else log in with the signed launch data.
async function authenticate() {
  const initData = webApp.initData;
  if (api.sessionFor(initData)) {
    try {
      return { user: await api.get("/me"), start_param: startParam() };
    } catch (error) {
      if (error.status !== 401) throw error;
    }
  }
  if (!initData) throw new api.ApiError(401, "no_launch_data", null);
  return api.login(initData);
}

async function loadFeatures() {
  try {
    const response = await fetch("/api/openapi.json");
    if (response.ok) readFeatures(await response.json());
  } catch { /* without the document the app still shows the gallery */ }
}

// ?startapp= payloads: o_<id> an object, u_<id> someone's profile, others by extensions.
async function openStart(param) {
  await openTab("gallery");
  const [kind, value] = [param.slice(0, 2), param.slice(2)];
  if (kind === "o_" && /^\d+$/.test(value)) return go("object_link", { id: Number(value) });
  if (kind === "u_" && /^\d+$/.test(value)) return go("profile", { id: Number(value) });
  for (const open of extensions.startParams) if (await open(param)) return undefined;
  return undefined;
}

async function boot() {
  setLanguage(launchLanguage());
  localiseChrome();
  api.whenSessionLost(() => stop("sessionEnded", "sessionEndedText"));
  let launch;
  try {
    [launch] = await Promise.all([authenticate(), loadFeatures()]);
  } catch (error) {
    if (error.network) return stop("genericError", "offline", retryButton());
    if (error.code === "banned") return stop("banned", "bannedText");
    return stop("noMax", "noMaxText");
  }
  session.me = launch.user;
  setLanguage(launch.user.language);
  localiseChrome();
  const tabs = extensions.hasInbox() ? [...TABS, INBOX_TAB] : TABS;
  setTabs(tabs);
  extensions.start();
  document.body.dataset.state = "ready";
  ready();
  await openStart(launch.start_param || "");
}

function retryButton() {
  return h("button", { type: "button", class: "button", onclick: () => location.reload() }, t("retry"));
}

boot();
