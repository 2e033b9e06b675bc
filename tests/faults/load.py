"""Load while a fault comes and goes: readers, uploaders and people sending photos in the chat,
each call recorded with when it started and ended and what came back."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import httpx

from sandbox.control import SandboxControl
from tests.browser.artworks import artwork

CLIENT_TIMEOUT_S = 10.0  # far over what any answer may take: a hang shows as status None


def photo_jpeg(seed: int) -> bytes:
    buffer = BytesIO()
    artwork(seed, size=(320, 240)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@dataclass(frozen=True)
class Outcome:
    kind: str  # "read", "upload", "ready"
    started: float  # time.monotonic()
    ended: float
    status: int | None  # None: no answer within CLIENT_TIMEOUT_S, or the connection failed
    body: Any  # the JSON answer, or None
    error: str | None = None

    @property
    def seconds(self) -> float:
        return self.ended - self.started


@dataclass(frozen=True)
class Session:
    user_id: int
    name: str
    headers: dict[str, str]


@dataclass
class Load:
    http: httpx.AsyncClient
    control: SandboxControl
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    outcomes: list[Outcome] = field(default_factory=list)
    uploads: dict[str, Outcome] = field(default_factory=dict)  # API upload title -> its answer
    chat_titles: list[str] = field(default_factory=list)  # captions sent in the chat
    seeds: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    async def call(self, kind: str, method: str, path: str, **kwargs: Any) -> Outcome:
        started = time.monotonic()
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            outcome = Outcome(kind, started, time.monotonic(), None, None, repr(exc))
        else:
            outcome = Outcome(kind, started, time.monotonic(), response.status_code,
                              _json(response))  # fmt: skip
        self.outcomes.append(outcome)
        return outcome

    def of(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


async def new_session(load: Load, name: str) -> Session:
    created = await load.control.create_user(name, language_code="en")
    user_id = int(created["user"]["user_id"])
    await load.control.start_bot(user_id)
    launch = await load.control.launch_data(user_id)
    answer = await load.call("login", "POST", "/api/auth", json={"init_data": launch["init_data"]})
    assert answer.status == 200, answer
    return Session(user_id, name, {"Authorization": f"Bearer {answer.body['access_token']}"})


async def read(load: Load, who: Session, pause_s: float = 0.05) -> None:
    paths = itertools.cycle(("/api/objects?limit=12", "/api/me/objects?limit=12", "/api/me"))
    while not load.stop.is_set():
        await load.call("read", "GET", next(paths), headers=who.headers)
        await asyncio.sleep(pause_s)


async def upload(load: Load, who: Session, pause_s: float = 0.15) -> None:
    while not load.stop.is_set():
        seed = next(load.seeds)
        title = f"api {who.name} {seed}"
        files = {"file": (f"{seed}.jpg", photo_jpeg(seed), "image/jpeg")}
        load.uploads[title] = await load.call(
            "upload", "POST", "/api/photos", headers=who.headers, files=files, data={"title": title}
        )
        await asyncio.sleep(pause_s)


async def send_chat_photos(load: Load, who: Session, pause_s: float = 0.6) -> None:
    """The sandbox takes each message whatever the app's state and delivers it by webhook."""
    while not load.stop.is_set():
        seed = next(load.seeds)
        title = f"chat {who.name} {seed}"
        await load.control.send_photos(who.user_id, [photo_jpeg(seed)], caption=title)
        load.chat_titles.append(title)
        await asyncio.sleep(pause_s)


async def poll_ready(load: Load, pause_s: float = 0.2) -> None:
    while not load.stop.is_set():
        await load.call("ready", "GET", "/ready")
        await asyncio.sleep(pause_s)


def during(outcomes: list[Outcome], start: float, end: float) -> list[Outcome]:
    """Calls made wholly inside [start, end]."""
    return [o for o in outcomes if o.started >= start and o.ended <= end]


def first_after(outcomes: list[Outcome], moment: float, status: int) -> Outcome | None:
    later = [o for o in outcomes if o.started >= moment and o.status == status]
    return min(later, key=lambda o: o.started, default=None)
