"""Requests through the balancer, each one recorded: when, which method, and what came back (a
status, or the error that stood in for one)."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

RETRYABLE = {502, 503, 504}


@dataclass(frozen=True)
class Outcome:
    started: float  # time.monotonic()
    ended: float
    method: str
    path: str
    status: int | None  # None: no HTTP answer at all
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500


@dataclass
class Recorder:
    """One client for the whole test, and the outcome of every request it made."""

    http: httpx.AsyncClient
    outcomes: list[Outcome] = field(default_factory=list)

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = await self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.outcomes.append(Outcome(started, time.monotonic(), method, path, None,
                                         f"{type(exc).__name__}: {exc}"))  # fmt: skip
            return None
        self.outcomes.append(Outcome(started, time.monotonic(), method, path,
                                     response.status_code))  # fmt: skip
        return response

    async def answered(self, method: str, path: str, *, tries: int = 5,
                       **kwargs: Any) -> tuple[httpx.Response, bool]:
        """The first answer that is not a gateway error, as a person trying again would get it;
        and whether an earlier try failed (its effect may have happened: a POST's first try
        may have committed before its replica died)."""
        failed_before = False
        for _ in range(tries):
            response = await self.request(method, path, **kwargs)
            if response is not None and response.status_code not in RETRYABLE:
                return response, failed_before
            failed_before = True
            await asyncio.sleep(0.5)
        raise AssertionError(f"{method} {path}: no answer after {tries} tries")


@dataclass(frozen=True)
class Session:
    """A sandbox user logged into the mini-app through the balancer."""

    user_id: int
    chat_id: int
    name: str
    access_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


async def read_until_stopped(recorder: Recorder, paths: list[str], headers: dict[str, str],
                             stop: asyncio.Event, pause_s: float = 0.02) -> None:
    """A reader's steady stream of GETs (all idempotent) until told to stop."""
    index = 0
    while not stop.is_set():
        path = paths[index % len(paths)]
        response = await recorder.request("GET", path, headers=headers)
        if response is not None and response.status_code != 200 and response.status_code < 500:
            raise AssertionError(f"GET {path}: {response.status_code} {response.text[:200]}")
        index += 1
        await asyncio.sleep(pause_s)


async def favour_until_stopped(recorder: Recorder, who: Session, stop: asyncio.Event,
                               pause_s: float = 0.02) -> None:
    """A steady stream of writes: one of my objects in and out of my favourites (PUT, DELETE).
    Idempotent by meaning, but Caddy resends only GET and HEAD once a request has reached a
    replica; these show what a write in flight at the kill gets."""
    object_id = None
    while object_id is None and not stop.is_set():
        response = await recorder.request("GET", "/api/me/objects?limit=1", headers=who.headers)
        items = response.json()["items"] if response is not None and response.is_success else []
        object_id = items[0]["id"] if items else None
        await asyncio.sleep(0.2)
    for method in itertools.cycle(("PUT", "DELETE")):
        if stop.is_set():
            return
        path = f"/api/objects/{object_id}/favorite"
        response = await recorder.request(method, path, headers=who.headers)
        if response is not None and response.status_code != 200 and response.status_code < 500:
            raise AssertionError(f"{method} {path}: {response.status_code} {response.text[:200]}")
        await asyncio.sleep(pause_s)
