// The operators' screen: open reports by object (thumbnail, owner, how many and why) with Hide /
// Restore / Dismiss / Ban owner, and the audit of what operators did, with Restore / Unban
// beside a hide or a ban. Each action asks why first. Only operators (/api/me) see the way in;
// to anyone else the API answers 404, so the screen would show "not found" and nothing more.

import "./moderation_strings.js";
import { h, icon, photo, toast, emptyState, formatDate } from "../dom.js";
import { t, errorText, currentLanguage } from "../i18n.js";
import * as api from "../api.js";
import { haptic } from "../bridge.js";
import { defineView, go, replace, markChanged } from "../router.js";
import { session } from "../session.js";
import { extensions } from "../extensions.js";
import { reasonDialog } from "./moderation_dialogs.js";
import { reasonText } from "./moderation_strings.js";

const ASK = {
  hide: (target) => ({ question: t("modReasonFor_hide", target), hint: t("modReasonHint_hide"), quick: true, danger: true }),
  restore: (target) => ({ question: t("modReasonFor_restore", target), hint: t("modReasonHint") }),
  ban: (target) => ({ question: t("modReasonFor_ban", target), hint: t("modReasonHint_ban"), quick: true, danger: true }),
  unban: (target) => ({ question: t("modReasonFor_unban", target), hint: t("modReasonHint") }),
  dismiss: (target) => ({ question: t("modReasonFor_dismiss", target), hint: t("modReasonHint_dismiss"), required: false }),
};

async function perform(action, target, reason) {
  if (action === "dismiss") {
    for (const id of target.reportIds) await api.post(`/moderation/reports/${id}/dismiss`, { reason });
    return;
  }
  const path = action === "hide" || action === "restore" ? `objects/${target.objectId}` : `users/${target.userId}`;
  await api.post(`/moderation/${path}/${action}`, { reason });
}

async function act(action, target, refresh) {
  const reason = await reasonDialog(ASK[action](target));
  if (reason === null) return;
  try {
    await perform(action, target, reason);
    haptic.success();
    toast(t(`modDone_${action}`));
    markChanged();
    refresh();
  } catch (error) {
    haptic.error();
    toast(errorText(error));
  }
}

function actionButton(action, target, refresh, cls = "") {
  return h("button", { type: "button", class: `button ${cls}`, dataset: { action },
    onclick: () => act(action, target, refresh) }, t(action));
}

function byObject(reports) {
  const groups = new Map();
  for (const report of reports) {
    if (!groups.has(report.object_id)) groups.set(report.object_id, []);
    groups.get(report.object_id).push(report);
  }
  return [...groups.values()];
}

function reportRow(group, refresh) {
  const first = group[0];
  const target = { objectId: first.object_id, userId: first.owner_id, title: first.title,
    name: first.owner_name, reportIds: group.map((r) => r.id) };
  const kinds = [...new Set(group.map((r) => t(`kind_${r.kind}`)))].join(", ");
  const reasons = group.map((r) => h("li", {}, t("modFrom", { name: r.reporter_name, reason: reasonText(r.reason) })));
  return h("li", { class: "row mod-report", dataset: { objectId: first.object_id } },
    h("span", { class: "row-thumb" }, photo(first.media.thumb, first.title)),
    h("span", { class: "row-main" },
      h("span", { class: "row-title wrap" }, `«${first.title}»`,
        first.hidden ? h("span", { class: "mod-flag" }, t("modHidden")) : null),
      h("span", { class: "row-sub" }, t("modOwner", { name: first.owner_name })),
      h("span", { class: "row-sub" }, t("modCount", { count: first.reports_on_object, kinds })),
      h("ul", { class: "mod-reasons" }, reasons)),
    h("span", { class: "row-actions" },
      first.hidden ? actionButton("restore", target, refresh) : actionButton("hide", target, refresh, "danger"),
      actionButton("dismiss", target, refresh),
      actionButton("ban", target, refresh, "danger")));
}

async function reportList(refresh) {
  const { items } = await api.get("/moderation/reports", { status: "open" });
  if (!items.length) return emptyState(t("modNoReports"), t("modNoReportsText"));
  return h("ul", { class: "rows", id: "mod-reports" }, byObject(items).map((group) => reportRow(group, refresh)));
}

// Undo names its target as the audit does; a deleted object has nothing left to restore.
function undoButton(entry, refresh) {
  const id = entry.target_id;
  const name = entry.target_name;
  if (entry.action === "hide" && name !== null) return actionButton("restore", { objectId: id, title: name }, refresh);
  if (entry.action === "ban") return actionButton("unban", { userId: id, name: name ?? `#${id}` }, refresh);
  return null;
}

// "Oleg hid «Harbour»": names as they are now (null: the operator never used the bot, or the
// object is deleted), each one text in a text node, never markup.
function auditText(entry) {
  const id = entry.target_id;
  const who = entry.operator_name ?? t("auditBy", { id: entry.operator_id });
  if (entry.target_kind === "report" && entry.target_name === null) return t("audit_dismiss_gone", { who, id });
  const what = entry.target_kind === "user"
    ? entry.target_name ?? t("auditPerson", { id })
    : entry.target_name === null ? t("auditGoneObject", { id }) : `«${entry.target_name}»`;
  return t(`audit_${entry.action}`, { who, what });
}

// `latest`: no later entry names the same target, so undoing this one still makes sense.
function auditRow(entry, refresh, latest) {
  const undo = latest ? undoButton(entry, refresh) : null;
  return h("li", { class: "row mod-audit", dataset: { auditId: entry.id } },
    h("span", { class: "row-main" }, h("span", { class: "row-title wrap" }, auditText(entry)),
      entry.reason ? h("span", { class: "row-sub" }, reasonText(entry.reason)) : null,
      h("time", { class: "row-sub", datetime: entry.at }, formatDate(entry.at, currentLanguage()))),
    undo ? h("span", { class: "row-actions" }, undo) : null);
}

async function auditList(refresh) {
  const { items } = await api.get("/moderation/audit", { limit: 100 });
  if (!items.length) return emptyState(t("modNoAudit"), "");
  const seen = new Set();
  const rows = items.map((entry) => {
    const target = `${entry.target_kind}:${entry.target_id}`;
    const latest = !seen.has(target);
    seen.add(target);
    return auditRow(entry, refresh, latest);
  });
  return h("ul", { class: "rows", id: "mod-audit" }, rows);
}

function sectionSwitch(section) {
  const option = (value, label) => h("button", { type: "button", "aria-pressed": String(section === value),
    id: `mod-${value}-tab`, onclick: () => section !== value && replace("moderation", { section: value }) }, t(label));
  return h("div", { class: "segmented", role: "group", "aria-label": t("moderation") },
    option("reports", "modReports"), option("audit", "modAudit"));
}

defineView("moderation", async ({ section = "reports" }) => {
  const refresh = () => replace("moderation", { section });
  const body = section === "audit" ? await auditList(refresh) : await reportList(refresh);
  return { title: t("moderation"), node: h("div", { class: "moderation" }, sectionSwitch(section), body) };
}, { tab: "mine" });

// The login's answer (and /api/me) says whether this person moderates.
const isOperator = () => Boolean(session.me?.operator);

extensions.startParams.push(async (param) => {
  if (param !== "mod" || !isOperator()) return false;
  await go("moderation");
  return true;
});

extensions.meActions.push(() => (isOperator()
  ? h("button", { type: "button", class: "button mod-entry", id: "open-moderation", onclick: () => go("moderation") },
    icon("shield"), t("moderation"))
  : null));
