// Trade holds (docs/holds.md): an object received by a trade or transfer is on hold until
// `held_until`; nobody may trade or transfer it before then, so the page says so and drops
// those buttons. The time left is counted here and repainted each minute.

import { h, icon, formatDate } from "../dom.js";
import { t, addStrings, currentLanguage } from "../i18n.js";

addStrings({
  en: {
    holdTitle: "On hold for {left}",
    holdText: "It changed hands recently: nobody can trade or transfer it until {when}.",
    holdHours: "{hours} h {minutes} min", holdMinutes: "{minutes} min",
    err_object_on_hold: "This object changed hands recently and is on hold: it cannot be traded or transferred yet.",
  },
  ru: {
    holdTitle: "Удерживается ещё {left}",
    holdText: "Объект недавно сменил владельца: до {when} его нельзя обменять или передать.",
    holdHours: "{hours} ч {minutes} мин", holdMinutes: "{minutes} мин",
    err_object_on_hold: "Объект недавно сменил владельца и удерживается: его пока нельзя обменять или передать.",
  },
});

// The buttons (views/trades.js, views/transfers.js) a hold takes away.
const HELD_ACTIONS = new Set(["offer-trade", "make-transfer"]);

export function isHeld(object, now = Date.now()) {
  return Boolean(object.held_until) && new Date(object.held_until).getTime() > now;
}

export function allowedWhileHeld(object, node) {
  return !(isHeld(object) && HELD_ACTIONS.has(node.id));
}

// Rounded up, as the chat says it: never "0 min" while the hold lasts.
function timeLeft(until, now = Date.now()) {
  const minutes = Math.max(1, Math.ceil((new Date(until).getTime() - now) / 60000));
  const hours = Math.floor(minutes / 60);
  const vars = { hours, minutes: minutes % 60 };
  return hours ? t("holdHours", vars) : t("holdMinutes", { minutes });
}

// The notice above the photo, or null; `onEnd` redraws the page when the hold runs out.
export function holdNotice(object, onEnd) {
  if (!isHeld(object)) return null;
  const title = h("strong", { class: "hold-title" });
  const paint = () => { title.textContent = t("holdTitle", { left: timeLeft(object.held_until) }); };
  paint();
  const node = h("div", { class: "hold-notice", id: "hold-notice", role: "status" }, icon("lock"),
    h("span", {}, title,
      h("span", { class: "hold-text" }, t("holdText", { when: formatDate(object.held_until, currentLanguage()) }))));
  const timer = setInterval(() => {
    if (!node.isConnected) return clearInterval(timer);
    if (isHeld(object)) return paint();
    clearInterval(timer);
    onEnd();
  }, 30000);
  return node;
}
