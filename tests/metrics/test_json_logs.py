"""log.format = "json": one JSON object per line, each naming the request it was written for."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from config.loading import load_settings
from server.logs import JsonFormatter, RequestIdFilter
from tests.webapp.helpers import ApiClient


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The root logger's records as `python -m gallery` writes them with log.format = "json"."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def records(stream: io.StringIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


async def test_a_line_written_during_a_request_carries_its_request_id(
    client: ApiClient, json_lines: io.StringIO
) -> None:
    response = await client.post(
        "/max/webhook", json={}, headers={"X-Request-Id": "req-json-1"}
    )  # a wrong secret: the webhook logs a warning while the request is handled
    assert response.status == 401
    [line] = [r for r in records(json_lines) if r["logger"] == "bot.webhook"]
    assert line["request_id"] == "req-json-1"
    assert line["level"] == "WARNING"
    assert str(line["message"]).startswith("webhook call with a wrong or missing secret")
    assert set(line) == {"time", "level", "logger", "request_id", "message"}


def test_a_message_with_newlines_and_a_traceback_stays_one_line(json_lines: io.StringIO) -> None:
    log = logging.getLogger("gallery.test")
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        log.exception('two\nlines and a quote " in them')
    [line] = json_lines.getvalue().splitlines()
    record = orjson.loads(line)
    assert record["message"] == 'two\nlines and a quote " in them'
    assert record["request_id"] == "-"
    assert "ValueError: bad\nvalue" in str(record["exception"])


def test_json_is_chosen_in_the_settings_and_text_stays_the_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert load_settings(tmp_path / "absent.toml").log.format == "text"
    monkeypatch.setenv("GALLERY_LOG__FORMAT", "json")
    assert load_settings(tmp_path / "absent.toml").log.format == "json"
