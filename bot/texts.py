"""Everything the bot says, in Russian and English."""

from __future__ import annotations

from typing import Any

from storage.models import Language

TEXTS: dict[str, dict[Language, str]] = {
    "greeting": {
        "ru": "Здравствуйте, {name}! Это **Max Photo Gallery**: каждое фото, которое вы пришлёте, "
        "становится арт-объектом с владельцем и историей. Пришлите фото (можно несколько, подпись "
        "станет названием) или откройте галерею.",
        "en": "Hello, {name}! This is **Max Photo Gallery**: every photo you send becomes an art "
        "object with an owner and a history. Send a photo (several at once is fine; the caption "
        "becomes the title) or open the gallery.",
    },
    "open_gallery": {"ru": "Открыть галерею", "en": "Open the gallery"},
    "help": {
        "ru": "Что я умею:\n"
        "• пришлите фото — оно станет вашим объектом (подпись — название)\n"
        "• /my — ваши объекты\n• /gallery — открыть галерею\n• /help — эта справка\n"
        "Обмены, передачи по QR-коду и запросы доступа приходят сюда с кнопками.",
        "en": "What I can do:\n"
        "• send a photo and it becomes your object (the caption is its title)\n"
        "• /my — your objects\n• /gallery — open the gallery\n• /help — this help\n"
        "Trade offers, QR transfers and access requests arrive here with buttons.",
    },
    "not_understood": {
        "ru": "Я не понял сообщение. Пришлите фото или наберите /help.",
        "en": "I didn't understand that. Send a photo or type /help.",
    },
    "error": {
        "ru": "Что-то пошло не так с нашей стороны. Мы уже разбираемся, попробуйте чуть позже.",
        "en": "Something went wrong on our side. We're looking into it; please try again later.",
    },
    "link_invalid": {
        "ru": "Эта ссылка недействительна или устарела.",
        "en": "This link is not valid or has expired.",
    },
    "object_card": {
        "ru": "«{title}» — владелец {owner}.",
        "en": "«{title}» — owned by {owner}.",
    },
    "profile_card": {
        "ru": "Коллекция {name}: объектов — {count}.",
        "en": "{name}'s collection: {count} objects.",
    },
    "open_object": {"ru": "Открыть", "en": "Open"},
    "open_profile": {"ru": "Открыть профиль", "en": "Open profile"},
}

COMMANDS: dict[str, str] = {
    "start": "Начать / Start",
    "help": "Справка / Help",
}


def t(key: str, language: Language, **values: Any) -> str:
    return TEXTS[key][language].format(**values)
