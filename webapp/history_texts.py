"""The readable line of each history event the API hands the mini-app, in Russian and English."""

from __future__ import annotations

from storage.history import HistoryEntry
from storage.models import Language

LINES: dict[str, dict[Language, str]] = {
    "created": {"ru": "Создан: {to}", "en": "Created by {to}"},
    "transfer": {"ru": "Передан: {to}", "en": "Transferred to {to}"},
    "trade": {"ru": "Обменян: {to}", "en": "Traded with {to}"},
}
SOMEONE: dict[Language, str] = {"ru": "скрытый коллекционер", "en": "a private collector"}


def history_line(entry: HistoryEntry, language: Language) -> str:
    """"Created by Anna", "Transferred to Bob", "Traded with Eve"; a person hidden from the
    reader is "a private collector"."""
    return LINES[entry.reason][language].format(to=entry.to_name or SOMEONE[language])
