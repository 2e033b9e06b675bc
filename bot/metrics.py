"""What the bot counts: chat updates handled (storage/metrics.py has the families) and calls to
the MAX Bot API, named without ids so that one label value stands for one API method."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Self

from yarl import URL

from bot.types import Update
from storage.metrics import UPDATE_LAG, max_call_children, update_children

# Path segments of the MAX Bot API that name a method; any other segment is an id.
_API_WORDS = frozenset(
    {"me", "commands", "subscriptions", "messages", "answers", "chats", "actions", "uploads",
     "updates", "members", "pin", "videos"}
)  # fmt: skip
_VERBS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


def api_method(method: str, url: URL, base: URL) -> str:
    """`POST /messages`, `POST /chats/{id}/actions`; an upload to the URL MAX handed out (on
    another host) is `POST upload`."""
    verb = method if method in _VERBS else "OTHER"
    if url.host != base.host:
        return f"{verb} upload"
    segments = (s if s in _API_WORDS else "{id}" for s in url.path.split("/") if s)
    return f"{verb} /" + "/".join(segments)


def record_api_call(method: str, status: str, started: float) -> None:
    """`status` is the HTTP status (429: MAX asked us to slow down) or "network"."""
    calls, seconds = max_call_children(method, status)
    calls.inc()
    seconds.observe(time.perf_counter() - started)


class UpdateMetrics:
    """Counts one update under its type and outcome and times its handling; the outcome stays
    "aborted" when the handling raised or was cancelled (the webhook's time budget)."""

    def __init__(self, update: Update) -> None:
        self.update_type = update.update_type
        self.outcome = "aborted"
        self.started = time.perf_counter()
        if update.timestamp > 0:
            UPDATE_LAG.observe(max(0.0, time.time() - update.timestamp / 1000))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        count, seconds = update_children(self.update_type, self.outcome)
        count.inc()
        seconds.observe(time.perf_counter() - self.started)
