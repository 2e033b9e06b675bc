"""What the bot says about profiles, privacy and access requests."""

from __future__ import annotations

from storage.models import Language

PROFILE_TEXTS: dict[str, dict[Language, str]] = {
    "profile.request": {
        "ru": "{name} просит доступ к вашей коллекции.",
        "en": "{name} asks to see your collection.",
    },
    "profile.approve": {"ru": "Разрешить", "en": "Approve"},
    "profile.decline": {"ru": "Отклонить", "en": "Decline"},
    "profile.approved": {
        "ru": "{name} открыл(а) вам свою коллекцию.",
        "en": "{name} opened their collection to you.",
    },
    "profile.declined": {
        "ru": "{name} отклонил(а) ваш запрос доступа.",
        "en": "{name} declined your access request.",
    },
    "profile.cancelled": {
        "ru": "{name} отозвал(а) свой запрос доступа.",
        "en": "{name} withdrew their access request.",
    },
    "profile.expired": {
        "ru": "Ваш запрос доступа к коллекции {name} истёк без ответа.",
        "en": "Your request to see {name}'s collection expired unanswered.",
    },
    "profile.closed": {
        "ru": "Ваш запрос доступа к коллекции {name} закрыт: коллекция больше недоступна.",
        "en": "Your request to see {name}'s collection was closed: it is no longer open.",
    },
    "profile.revoked": {
        "ru": "{name} закрыл(а) вам доступ к своей коллекции.",
        "en": "{name} closed their collection to you.",
    },
    "profile.card_open": {
        "ru": "Коллекция {name}: во владении — {owned}, создано — {created}.",
        "en": "{name}'s collection: {owned} owned, {created} created.",
    },
    "profile.card_locked": {
        "ru": "Коллекция {name} закрыта. Можно попросить доступ.",
        "en": "{name}'s collection is not public. You can ask for access.",
    },
    "profile.card_private": {
        "ru": "Коллекция {name} закрыта.",
        "en": "{name}'s collection is private.",
    },
    "profile.ask": {"ru": "Попросить доступ", "en": "Request access"},
    "profile.asked": {"ru": "Запрос отправлен", "en": "Request sent"},
    "profile.done_approved": {
        "ru": "Вы открыли коллекцию для {name}.",
        "en": "You opened your collection to {name}.",
    },
    "profile.done_declined": {
        "ru": "Вы отклонили запрос {name}.",
        "en": "You declined {name}'s request.",
    },
    "privacy.current": {
        "ru": "Кто видит вашу коллекцию: {level}.",
        "en": "Who sees your collection: {level}.",
    },
    "privacy.public": {"ru": "все", "en": "everyone"},
    "privacy.approved": {"ru": "только одобренные", "en": "approved people only"},
    "privacy.private": {"ru": "только я", "en": "only me"},
    "privacy.changed": {"ru": "Сохранено", "en": "Saved"},
    "requests.none": {
        "ru": "Новых запросов доступа нет.",
        "en": "No pending access requests.",
    },
    "requests.one": {
        "ru": "{name} просит доступ к вашей коллекции.",
        "en": "{name} asks to see your collection.",
    },
}
