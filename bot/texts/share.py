"""What the bot says about provenance cards, object links and sharing."""

from __future__ import annotations

from storage.models import Language

SHARE_TEXTS: dict[str, dict[Language, str]] = {
    "share.button": {"ru": "Поделиться", "en": "Share"},
    "share.ask": {"ru": "Попросить доступ", "en": "Request access"},
    "share.forward": {
        "ru": "«{title}»: перешлите эту карточку кому угодно. Открыть в MAX: {link}",
        "en": "«{title}»: forward this card to anyone. Open it in MAX: {link}",
    },
    "share.unavailable": {
        "ru": (
            "Этот объект нельзя показать: его коллекция закрыта, или ссылка неверна. "
            "Можно попросить владельца о доступе."
        ),
        "en": (
            "This object can't be shown: its collection is private, or the link is wrong. "
            "You can ask its owner for access."
        ),
    },
    # the same whatever happened: the asker must not learn whether the object exists
    "share.asked": {
        "ru": "Если объект существует и владелец принимает запросы, мы его спросили.",
        "en": "If the object exists and its owner takes requests, they have been asked.",
    },
    "share.sent": {"ru": "Карточка готова — перешлите её", "en": "Your card is ready: forward it"},
    "share.gone": {
        "ru": "Этот объект больше нельзя показать.",
        "en": "This object can no longer be shown.",
    },
}
