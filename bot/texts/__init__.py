"""Everything the bot says, in Russian and English.

The templates are ours and trusted: they are HTML (every message is sent with format "html", see
bot/markup.py), so a literal `&`, `<` or `>` must not appear in them except the tags they mean
(tests/bot/test_markup.py audits them). `t` makes message text, `label` text MAX never formats.
"""

from __future__ import annotations

from bot.markup import Markup, escape, plain
from bot.texts.account import ACCOUNT_TEXTS
from bot.texts.common import COMMON_TEXTS, PHOTO_TEXTS
from bot.texts.moderation import MODERATION_TEXTS
from bot.texts.profiles import PROFILE_TEXTS
from bot.texts.settings import SETTINGS_TEXTS
from bot.texts.share import SHARE_TEXTS
from bot.texts.trades import TRADE_TEXTS
from bot.texts.transfers import TRANSFER_TEXTS
from storage.models import Language

TEXTS: dict[str, dict[Language, str]] = {
    **COMMON_TEXTS,
    **PHOTO_TEXTS,
    **TRADE_TEXTS,
    **TRANSFER_TEXTS,
    **PROFILE_TEXTS,
    **MODERATION_TEXTS,
    **SETTINGS_TEXTS,
    **ACCOUNT_TEXTS,
    **SHARE_TEXTS,
}

COMMANDS: dict[str, str] = {
    "start": "Начать / Start",
    "my": "Мои объекты / My objects",
    "gallery": "Галерея / Gallery",
    "help": "Справка / Help",
    "privacy": "Приватность / Privacy",
    "requests": "Запросы доступа / Access requests",
    "settings": "Уведомления / Notifications",
    "cancel": "Отменить / Cancel",
    "export": "Мои данные / Export my data",
    "delete": "Удалить аккаунт / Delete account",
}


Value = str | int


def t(key: str, language: Language, **values: Value) -> Markup:
    """Message text: the template as it is, every value escaped unless it is Markup already."""
    escaped = {name: escape(_as_text(value)) for name, value in values.items()}
    return Markup(TEXTS[key][language].format(**escaped))


def label(key: str, language: Language, **values: Value) -> str:
    """Text MAX shows as typed (button labels, callback toasts, the JSON API): values are
    sanitised, never escaped; a template with markup is refused (its tags would show)."""
    template = TEXTS[key][language]
    if "<" in template:
        raise ValueError(f"text {key!r} is formatted: use t()")
    return template.format(**{name: plain(_as_text(value)) for name, value in values.items()})


def _as_text(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"a text value is a str or an int, not {type(value).__name__}")
