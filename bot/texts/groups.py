"""What the bot says in group chats, in Russian and English (merged into TEXTS)."""

from __future__ import annotations

from bot.markup import Markup, escape, plain
from storage.models import Language

GROUP_TEXTS: dict[str, dict[Language, str]] = {
    "group.hello": {
        "ru": "Всем привет! Я веду галереи фотографий. Ответьте на своё фото командой "
        "/add@{bot}, и оно станет объектом в вашей галерее. Подробнее: /help@{bot}",
        "en": "Hello, everyone! I keep photo galleries. Reply to your own photo with "
        "/add@{bot} and it becomes an object in your gallery. More: /help@{bot}",
    },
    "group.help": {
        "ru": "Здесь я отвечаю только на обращения ко мне.\n"
        "/add@{bot} в ответ на своё фото (можно с названием) — добавить его в вашу галерею.\n"
        "/my@{bot} — пришлю ваши объекты в личный чат.\n"
        "/gallery@{bot} — открыть галерею.\n"
        "Остальное — в нашем личном чате.",
        "en": "Here I answer only what is addressed to me.\n"
        "/add@{bot} as a reply to your own photo (a title may follow) puts it in your gallery.\n"
        "/my@{bot}: I send your objects to our personal chat.\n"
        "/gallery@{bot} opens the gallery.\n"
        "Everything else works in our personal chat.",
    },
    "group.add_hint": {
        "ru": "{name}, ответьте командой /add@{bot} на своё фото, и я добавлю его в вашу галерею.",
        "en": "{name}, reply to your own photo with /add@{bot} and I will add it to your gallery.",
    },
    "group.not_sender": {
        "ru": "{name}, добавить фото в галерею может только тот, кто его прислал.",
        "en": "{name}, only the person who posted a photo can add it to their gallery.",
    },
    "group.added": {
        "ru": "«{title}» теперь в галерее {name}.",
        "en": "«{title}» is now in {name}'s gallery.",
    },
    "group.added_many": {
        "ru": "Фото ({count}) теперь в галерее {name}.",
        "en": "{count} photos are now in {name}'s gallery.",
    },
    "group.already": {
        "ru": "{name}, это фото уже добавлено.",
        "en": "{name}, this photo has been added already.",
    },
    "group.refused": {
        "ru": "{name}, не получилось добавить фото: {reason}.",
        "en": "{name}, I could not add that photo: {reason}.",
    },
    "group.prompt": {
        "ru": "{name}, добавить это фото в вашу галерею?",
        "en": "{name}, shall I put this photo in your gallery?",
    },
    "group.sent_privately": {
        "ru": "{name}, отправил вам в личный чат.",
        "en": "{name}, I've sent it to you privately.",
    },
    "group.start_first": {
        "ru": "{name}, сначала начните со мной личный чат, потом спросите снова:",
        "en": "{name}, start a personal chat with me first, then ask again:",
    },
    "group.private_only": {
        "ru": "{name}, это работает в нашем личном чате:",
        "en": "{name}, that works in our personal chat:",
    },
    "group.button.add": {"ru": "Добавить в мою галерею", "en": "Add to my gallery"},
    "group.button.open_chat": {"ru": "Открыть личный чат", "en": "Open the personal chat"},
    "group.toast.not_sender": {
        "ru": "Добавить фото может только тот, кто его прислал.",
        "en": "Only the person who posted the photo can add it.",
    },
    "group.toast.added": {"ru": "Добавлено", "en": "Added"},
    "group.toast.already": {"ru": "Уже добавлено", "en": "Added already"},
}


def group_t(key: str, language: Language, **values: str | int) -> Markup:
    """Message text from GROUP_TEXTS, every value escaped (as bot.texts.t)."""
    escaped = {name: escape(str(value)) for name, value in values.items()}
    return Markup(GROUP_TEXTS[key][language].format(**escaped))


def group_label(key: str, language: Language) -> str:
    """A button label or toast from GROUP_TEXTS (plain text, as bot.texts.label)."""
    return plain(GROUP_TEXTS[key][language])
