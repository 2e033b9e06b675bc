"""What the bot says about notification settings (/settings) and favourites of one's objects."""

from __future__ import annotations

from storage.models import Language

SETTINGS_TEXTS: dict[str, dict[Language, str]] = {
    "settings.menu": {
        "ru": "Уведомления. Нажмите на строку, чтобы включить или выключить. "
        "То, что выключено, всё равно видно во «Входящих» мини-приложения.\n"
        "Сообщение о блокировке аккаунта приходит всегда.",
        "en": "Notifications. Press a line to turn it on or off. "
        "What is off still shows in the mini-app's Inbox.\n"
        "A notice that your account was banned always arrives.",
    },
    "settings.trades": {"ru": "Обмены и их итоги", "en": "Trades and their outcomes"},
    "settings.transfers": {"ru": "Передачи", "en": "Transfers"},
    "settings.requests": {"ru": "Запросы доступа", "en": "Access requests"},
    "settings.favorites": {
        "ru": "Добавления моих объектов в избранное",
        "en": "Favourites of my objects",
    },
    "settings.moderation": {"ru": "Модерация", "en": "Moderation"},
    "settings.on": {"ru": "🔔 {what}: вкл.", "en": "🔔 {what}: on"},
    "settings.off": {"ru": "🔕 {what}: выкл.", "en": "🔕 {what}: off"},
    "settings.turned_on": {"ru": "Включено: {what}", "en": "On: {what}"},
    "settings.turned_off": {"ru": "Выключено: {what}", "en": "Off: {what}"},
    "favorites.one": {
        "ru": "{name} добавил(а) «{title}» в избранное.",
        "en": "{name} favourited «{title}».",
    },
    "favorites.many": {
        "ru": "«{title}» добавили в избранное: {count} чел., последним — {name}.",
        "en": "{count} people favourited «{title}», most recently {name}.",
    },
}
