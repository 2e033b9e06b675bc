"""The readable line of each history event the API gives the mini-app, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.history import HistoryEntry
from storage.models import Language
from webapp.history_texts import history_line

AT = datetime(2026, 11, 30, tzinfo=UTC)


def entry(reason: str, to_name: str | None) -> HistoryEntry:
    return HistoryEntry(
        from_user_id=None if reason == "created" else 1, from_name=None, to_user_id=2,
        to_name=to_name, reason=reason, created_at=AT,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("reason", "language", "line"),
    [
        ("created", "en", "Created by Anna"),
        ("transfer", "en", "Transferred to Anna"),
        ("trade", "en", "Traded with Anna"),
        ("created", "ru", "Создан: Anna"),
        ("transfer", "ru", "Передан: Anna"),
        ("trade", "ru", "Обменян: Anna"),
    ],
)
def test_each_event_reads_in_the_asked_language(reason: str, language: Language, line: str) -> None:
    assert history_line(entry(reason, "Anna"), language) == line


@pytest.mark.parametrize(
    ("language", "line"),
    [("en", "Traded with a private collector"), ("ru", "Обменян: скрытый коллекционер")],
)
def test_a_person_hidden_from_the_reader_is_not_named(language: Language, line: str) -> None:
    assert history_line(entry("trade", None), language) == line


def test_people_s_text_is_passed_on_as_typed_for_the_json_api() -> None:
    """JSON is not markup: the mini-app puts text in the page as text nodes."""
    assert history_line(entry("trade", "<b>Eve</b> & co"), "en") == "Traded with <b>Eve</b> & co"
