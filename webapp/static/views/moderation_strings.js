// Strings of reports and of the operators' screen.

import { addStrings, t } from "../i18n.js";

addStrings({
  en: {
    report: "Report", reportTitle: "Report «{title}»", reportWhy: "What is wrong?",
    reportDetails: "Details (optional)", reportDetailsHint: "Only the moderators read this.",
    reportSend: "Send report", reportSent: "Report sent. Thank you!",
    kind_spam: "Spam", kind_copyright: "Not theirs / stolen", kind_offensive: "Offensive",
    kind_violence: "Violence", kind_sexual: "Sexual content", kind_other: "Other",
    moderation: "Moderation", modReports: "Reports", modAudit: "Audit",
    modNoReports: "No open reports", modNoReportsText: "New reports appear here and in the bot's chat.",
    modNoAudit: "Nothing done yet",
    modOwner: "Owner: {name}", modCount: "Reports: {count} · {kinds}", modFrom: "{name}: {reason}",
    modHidden: "Hidden",
    hide: "Hide", restore: "Restore", dismiss: "Dismiss", ban: "Ban owner", unban: "Unban",
    modReasonFor_hide: "Why hide «{title}»?", modReasonFor_restore: "Why restore «{title}»?",
    modReasonFor_ban: "Why ban {name}?", modReasonFor_unban: "Why unban {name}?",
    modReasonFor_dismiss: "Dismiss the reports on «{title}»?",
    modReasonHint_hide: "The owner will see the reason.", modReasonHint_ban: "They will see the reason.",
    modReasonHint_dismiss: "A note for the audit (optional).", modReasonHint: "A note for the audit.",
    modReasonText: "Reason in your words", modConfirm: "Confirm",
    modDone_hide: "Hidden", modDone_restore: "Restored", modDone_ban: "Banned", modDone_unban: "Unbanned",
    modDone_dismiss: "Dismissed",
    audit_hide: "{who} hid {what}", audit_restore: "{who} restored {what}", audit_ban: "{who} banned {what}",
    audit_unban: "{who} unbanned {what}", audit_dismiss: "{who} dismissed a report on {what}",
    audit_dismiss_gone: "{who} dismissed report #{id} (the object is deleted)",
    auditBy: "Operator #{id}", auditPerson: "person #{id}", auditGoneObject: "a deleted object (#{id})",
    hiddenNotice: "Hidden by the moderators:", hiddenNoticeText: "Only you can see it now.",
    banned: "Your account is blocked",
    bannedText: "The moderators blocked this account. The bot's chat says why.",
    err_banned: "Your account is blocked by the moderators.",
    err_already_reported: "You have already reported this object; the moderators will look at it.",
    err_own_object: "You cannot report your own object.",
    err_too_many_reports: "You have too many open reports. Please wait for the moderators.",
    err_reason_required: "Please give a reason.", err_reason_too_long: "The reason is too long.",
    err_already_hidden: "It is already hidden.", err_not_hidden: "It is not hidden.",
    err_already_banned: "This person is already banned.", err_not_banned: "This person is not banned.",
    err_report_not_found: "This report is already closed.", err_operator: "An operator cannot be banned.",
  },
  ru: {
    report: "Пожаловаться", reportTitle: "Жалоба на «{title}»", reportWhy: "Что не так?",
    reportDetails: "Подробности (необязательно)", reportDetailsHint: "Это прочитают только модераторы.",
    reportSend: "Отправить жалобу", reportSent: "Жалоба отправлена. Спасибо!",
    kind_spam: "Спам", kind_copyright: "Чужое / украдено", kind_offensive: "Оскорбительно",
    kind_violence: "Насилие", kind_sexual: "Откровенное", kind_other: "Другое",
    moderation: "Модерация", modReports: "Жалобы", modAudit: "Журнал",
    modNoReports: "Открытых жалоб нет", modNoReportsText: "Новые жалобы появятся здесь и в чате с ботом.",
    modNoAudit: "Пока ничего не сделано",
    modOwner: "Владелец: {name}", modCount: "Жалоб: {count} · {kinds}", modFrom: "{name}: {reason}",
    modHidden: "Скрыт",
    hide: "Скрыть", restore: "Вернуть", dismiss: "Отклонить", ban: "Бан автора", unban: "Разблокировать",
    modReasonFor_hide: "Почему скрыть «{title}»?", modReasonFor_restore: "Почему вернуть «{title}»?",
    modReasonFor_ban: "Почему заблокировать: {name}?", modReasonFor_unban: "Почему разблокировать: {name}?",
    modReasonFor_dismiss: "Отклонить жалобы на «{title}»?",
    modReasonHint_hide: "Причину увидит владелец.", modReasonHint_ban: "Причину увидит этот человек.",
    modReasonHint_dismiss: "Заметка для журнала (необязательно).", modReasonHint: "Заметка для журнала.",
    modReasonText: "Причина своими словами", modConfirm: "Подтвердить",
    modDone_hide: "Скрыто", modDone_restore: "Возвращено", modDone_ban: "Заблокирован(а)",
    modDone_unban: "Разблокирован(а)", modDone_dismiss: "Отклонено",
    audit_hide: "{who} скрыл(а) {what}", audit_restore: "{who} вернул(а) {what}",
    audit_ban: "{who} заблокировал(а): {what}", audit_unban: "{who} разблокировал(а): {what}",
    audit_dismiss: "{who} отклонил(а) жалобу на {what}",
    audit_dismiss_gone: "{who} отклонил(а) жалобу №{id} (объект удалён)",
    auditBy: "Оператор №{id}", auditPerson: "человек №{id}", auditGoneObject: "удалённый объект (№{id})",
    hiddenNotice: "Скрыто модераторами:", hiddenNoticeText: "Сейчас его видите только вы.",
    banned: "Аккаунт заблокирован",
    bannedText: "Модераторы заблокировали этот аккаунт. Причина — в чате с ботом.",
    err_banned: "Модераторы заблокировали ваш аккаунт.",
    err_already_reported: "Вы уже пожаловались на этот объект — модераторы его посмотрят.",
    err_own_object: "На свой объект пожаловаться нельзя.",
    err_too_many_reports: "У вас слишком много открытых жалоб. Дождитесь ответа модераторов.",
    err_reason_required: "Укажите причину.", err_reason_too_long: "Причина слишком длинная.",
    err_already_hidden: "Объект уже скрыт.", err_not_hidden: "Объект не скрыт.",
    err_already_banned: "Этот человек уже заблокирован.", err_not_banned: "Этот человек не заблокирован.",
    err_report_not_found: "Эта жалоба уже закрыта.", err_operator: "Оператора нельзя заблокировать.",
  },
});

export const KINDS = ["spam", "copyright", "offensive", "violence", "sexual", "other"];

export const QUICK_KINDS = ["spam", "copyright", "offensive", "other"];

// A reason that is a report kind (the chat's quick buttons send those) in the reader's words;
// anything else is what a person wrote, shown as text.
export function reasonText(reason) {
  return KINDS.includes(reason) ? t(`kind_${reason}`) : reason;
}
