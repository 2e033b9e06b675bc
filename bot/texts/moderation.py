"""What the bot says about reports and moderation, in Russian and English; merged into
bot.texts.TEXTS.

Values: {title} an object's title, {name} a person's name, {reason} what an operator or a
reporter wrote (or a report kind, put into words by bot.notices.moderation), {count} a number.
"""

from __future__ import annotations

from storage.models import Language

REPORT_TEXTS: dict[str, dict[Language, str]] = {
    "mod.button.report": {"ru": "Пожаловаться", "en": "Report"},
    "mod.report.ask": {
        "ru": "Что не так с «{title}»? Выберите причину — жалобу увидят только модераторы.",
        "en": "What is wrong with «{title}»? Choose a reason — only the moderators see reports.",
    },
    "mod.report.choose": {"ru": "Выберите причину", "en": "Choose a reason"},
    "mod.kind.spam": {"ru": "Спам", "en": "Spam"},
    "mod.kind.copyright": {"ru": "Чужое / украдено", "en": "Not theirs / stolen"},
    "mod.kind.offensive": {"ru": "Оскорбительно", "en": "Offensive"},
    "mod.kind.violence": {"ru": "Насилие", "en": "Violence"},
    "mod.kind.sexual": {"ru": "Откровенное", "en": "Sexual content"},
    "mod.kind.other": {"ru": "Другое", "en": "Other"},
    "mod.report.done": {
        "ru": "Спасибо! Жалоба на «{title}» ({reason}) передана модераторам.",
        "en": "Thank you! Your report on «{title}» ({reason}) is with the moderators.",
    },
    "mod.report.details": {
        "ru": "Опишите одним сообщением, что не так с «{title}» (до {max} символов), или "
        "отправьте жалобу без подробностей. /cancel — передумать.",
        "en": "Tell the moderators in one message what is wrong with «{title}» (up to {max} "
        "characters), or send the report without details. /cancel to stop.",
    },
    "mod.report.waiting": {"ru": "Жду ваше сообщение", "en": "Waiting for your message"},
    "mod.button.as_is": {"ru": "Без подробностей", "en": "Send without details"},
    "mod.report.too_long": {
        "ru": "Слишком длинно: не больше {max} символов. Попробуйте короче или /cancel.",
        "en": "That is too long: {max} characters at most. Try a shorter one, or /cancel.",
    },
    "mod.report.toast": {"ru": "Жалоба отправлена", "en": "Report sent"},
    "mod.report.already": {
        "ru": "Вы уже пожаловались на этот объект — модераторы его посмотрят.",
        "en": "You have already reported this object; the moderators will look at it.",
    },
    "mod.report.own": {
        "ru": "На свой объект пожаловаться нельзя.",
        "en": "You cannot report your own object.",
    },
    "mod.report.gone": {
        "ru": "Этот объект больше недоступен.",
        "en": "This object is no longer available.",
    },
    "mod.report.too_many": {
        "ru": "У вас слишком много открытых жалоб. Дождитесь ответа модераторов.",
        "en": "You have too many open reports. Please wait for the moderators.",
    },
}

OPERATOR_TEXTS: dict[str, dict[Language, str]] = {
    "mod.push.reports": {
        "ru": "Новые жалобы: {count} (всего открытых: {total}).\n{titles}",
        "en": "New reports: {count} ({total} open in all).\n{titles}",
    },
    "mod.push.title": {"ru": "• «{title}»", "en": "• «{title}»"},
    "mod.reports.header": {
        "ru": "Открытые жалобы ({count}):",
        "en": "Open reports ({count}):",
    },
    "mod.reports.line": {
        "ru": "{n}. «{title}» — {name}: {reason} (жалоб: {count}){hidden}",
        "en": "{n}. «{title}» — {name}: {reason} ({count} reports){hidden}",
    },
    "mod.reports.hidden_mark": {"ru": " [скрыт]", "en": " [hidden]"},
    "mod.reports.empty": {"ru": "Открытых жалоб нет.", "en": "No open reports."},
    "mod.button.list": {"ru": "Открытые жалобы", "en": "Open reports"},
    "mod.button.hide": {"ru": "Скрыть {n}", "en": "Hide {n}"},
    "mod.button.dismiss": {"ru": "Отклонить {n}", "en": "Dismiss {n}"},
    "mod.button.ban": {"ru": "Бан автора {n}", "en": "Ban owner {n}"},
    "mod.button.restore": {"ru": "Вернуть", "en": "Restore"},
    "mod.button.unban": {"ru": "Разблокировать", "en": "Unban"},
    "mod.button.screen": {"ru": "Модерация", "en": "Moderation"},
    "mod.ask.hide": {
        "ru": "Почему скрыть «{title}»? Причину увидит владелец.",
        "en": "Why hide «{title}»? The owner will see the reason.",
    },
    "mod.ask.ban": {
        "ru": "Почему заблокировать {name}? Причину увидит этот человек.",
        "en": "Why ban {name}? They will see the reason.",
    },
    "mod.done.hidden": {
        "ru": "«{title}» скрыт. Причина: {reason}.",
        "en": "«{title}» is hidden. Reason: {reason}.",
    },
    "mod.done.restored": {"ru": "«{title}» снова виден.", "en": "«{title}» is visible again."},
    "mod.done.banned": {
        "ru": "{name} заблокирован(а). Причина: {reason}.",
        "en": "{name} is banned. Reason: {reason}.",
    },
    "mod.done.unbanned": {"ru": "{name} разблокирован(а).", "en": "{name} is unbanned."},
    "mod.done.dismissed": {
        "ru": "Жалоба на «{title}» отклонена.",
        "en": "The report on «{title}» is dismissed.",
    },
    "mod.done.nothing": {
        "ru": "Уже сделано или больше не нужно.",
        "en": "Already done, or no longer needed.",
    },
    "mod.toast.done": {"ru": "Готово", "en": "Done"},
}

OWNER_TEXTS: dict[str, dict[Language, str]] = {
    "mod.owner.hidden": {
        "ru": "Модераторы скрыли ваш объект «{title}». Причина: {reason}. "
        "Теперь его видите только вы.",
        "en": "The moderators hid your object «{title}». Reason: {reason}. "
        "Only you can see it now.",
    },
    "mod.owner.restored": {
        "ru": "Ваш объект «{title}» снова виден всем, кому открыта коллекция.",
        "en": "Your object «{title}» is visible again to everyone your collection is open to.",
    },
    "mod.owner.banned": {
        "ru": "Модераторы заблокировали ваш аккаунт. Причина: {reason}.",
        "en": "The moderators have blocked your account. Reason: {reason}.",
    },
    "mod.gate.banned": {
        "ru": "Ваш аккаунт заблокирован модераторами, поэтому бот не выполняет ваши команды.",
        "en": "Your account is blocked by the moderators, so the bot cannot act on your messages.",
    },
    "mod.owner.unbanned": {
        "ru": "Ваш аккаунт разблокирован. С возвращением!",
        "en": "Your account is unblocked. Welcome back!",
    },
    "mod.reporter.closed": {
        "ru": "Модераторы рассмотрели вашу жалобу на «{title}». Спасибо!",
        "en": "The moderators have looked at your report on «{title}». Thank you!",
    },
}

MODERATION_TEXTS: dict[str, dict[Language, str]] = {
    **REPORT_TEXTS,
    **OPERATOR_TEXTS,
    **OWNER_TEXTS,
}
