"""The load for bench/soak.py: sandbox people logged in through the mini-app, and one paced
loop per kind of request. Every answer is recorded with its kind, time, latency and status."""

from __future__ import annotations

import asyncio
import itertools
import random
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import aiohttp
import httpx
import psutil
from PIL import Image

from bench.harness import REPO
from sandbox.control import SandboxControl

# requests per second of each kind (a trade or a transfer is two requests: offer and accept)
RATES = {"gallery": 30.0, "search": 15.0, "view": 10.0, "upload": 2.0, "webhook": 0.5,
         "trade": 0.5, "transfer": 0.5}  # fmt: skip
KINDS = tuple(RATES)
WORDS = ("harbour", "sunset", "forest", "bridge", "winter", "garden", "river", "tower")
IN_FLIGHT_MAX = 64  # per kind: past this a tick is skipped (and counted), not queued
SEED_UPLOADS = 3  # per person, before the clock starts: something to trade


def photo(n: int) -> bytes:
    """A small JPEG no other n gives: smooth blends of a random 8×6 grid of colours."""
    rng = random.Random(n)
    grid = Image.new("RGB", (8, 6))
    grid.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(48)])
    buffer = BytesIO()
    grid.resize((480, 360), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@dataclass
class Person:
    id: int
    headers: dict[str, str]


@dataclass
class Record:
    """Answers as (monotonic end, kind, latency s, status); status 0 is a transport error."""

    answers: list[tuple[float, str, float, int]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    crashes: Counter[str] = field(default_factory=Counter)


class Load:
    def __init__(
        self, session: aiohttp.ClientSession, base: str, control: SandboxControl, record: Record
    ) -> None:
        self.session, self.base, self.control, self.record = session, base, control, record
        self.people: list[Person] = []
        self.owner: dict[int, int] = {}  # object id -> owner, as this client made it so
        self.busy: set[int] = set()  # objects in a trade or transfer under way
        self.photos = itertools.count(1)

    async def join(self, count: int) -> None:
        """Sandbox people who started the bot (so pushes have a chat) and logged in."""
        for n in range(count):
            created = await self.control.create_user(f"Soak {n}", language_code="en")
            user_id = int(created["user"]["user_id"])
            await self.control.start_bot(user_id)
            launch = await self.control.launch_data(user_id)
            url = f"{self.base}/api/auth"
            async with self.session.post(url, json={"init_data": launch["init_data"]}) as r:
                body = await r.json()
                if r.status != 200:
                    raise RuntimeError(f"login answered {r.status}: {body}")
            headers = {"Authorization": f"Bearer {body['access_token']}"}
            self.people.append(Person(user_id, headers))
        for person in self.people:
            for _ in range(SEED_UPLOADS):
                await self._upload(person, "seed")

    async def call(
        self, kind: str, method: str, path: str, person: Person | None, **kwargs: Any
    ) -> tuple[int, Any]:
        headers = person.headers if person else {}
        started = time.perf_counter()
        try:
            async with self.session.request(
                method, self.base + path, headers=headers, **kwargs
            ) as response:
                status = response.status
                body = await response.json() if response.content_type.endswith("json") else None
        except (aiohttp.ClientError, TimeoutError):
            status, body = 0, None
        self.record.answers.append((time.monotonic(), kind, time.perf_counter() - started, status))
        return status, body

    # --- the kinds ---------------------------------------------------------------------------

    async def gallery(self) -> None:
        person = random.choice([None, *self.people])
        await self.call("gallery", "GET", "/api/objects?limit=30", person)

    async def search(self) -> None:
        await self.call("search", "GET", f"/api/objects?limit=30&q={random.choice(WORDS)}",
                        random.choice(self.people))  # fmt: skip

    async def view(self) -> None:
        object_id = random.choice(list(self.owner))
        await self.call("view", "GET", f"/api/objects/{object_id}", random.choice(self.people))

    async def upload(self) -> None:
        await self._upload(random.choice(self.people), "upload")

    async def _upload(self, person: Person, kind: str) -> None:
        form = aiohttp.FormData()
        form.add_field(
            "file", photo(next(self.photos)), filename="p.jpg", content_type="image/jpeg"
        )
        form.add_field("title", f"{random.choice(WORDS).title()} {random.randrange(10_000)}")
        status, body = await self.call(kind, "POST", "/api/photos", person, data=form)
        if status == 201:
            self.owner[int(body["id"])] = person.id

    async def webhook(self) -> None:
        """A photo sent to the bot: the sandbox delivers it to the app's webhook (the app's
        answer is counted in its /metrics); the latency here is the sandbox's."""
        person = random.choice(self.people)
        started = time.perf_counter()
        try:
            await self.control.send_photos(person.id, [photo(-next(self.photos))])
            status = 200
        except Exception:  # any refusal is a failed delivery here
            status = 0
        self.record.answers.append((time.monotonic(), "webhook", time.perf_counter() - started,
                                    status))  # fmt: skip

    def _pick(self) -> tuple[Person, int, Person, int] | None:
        """Two people and one free object of each, marked busy."""
        free = [o for o in self.owner if o not in self.busy]
        if len(free) < 2:
            return None
        mine = random.choice(free)
        theirs = random.choice([o for o in free if self.owner[o] != self.owner[mine]] or [mine])
        if self.owner[theirs] == self.owner[mine]:
            return None
        by_id = {p.id: p for p in self.people}
        self.busy.update((mine, theirs))
        return by_id[self.owner[mine]], mine, by_id[self.owner[theirs]], theirs

    async def trade(self) -> None:
        picked = self._pick()
        if picked is None:
            return
        proposer, give, recipient, take = picked
        try:
            body = {"recipient_id": recipient.id, "give": [give], "take": [take]}
            status, trade = await self.call("trade", "POST", "/api/trades", proposer, json=body)
            if status != 201:
                return
            accept = {"version": trade["version"]}
            path = f"/api/trades/{trade['id']}/accept"
            if (await self.call("trade", "POST", path, recipient, json=accept))[0] == 200:
                self.owner[give], self.owner[take] = recipient.id, proposer.id
        finally:
            self.busy.difference_update((give, take))

    async def transfer(self) -> None:
        picked = self._pick()
        if picked is None:
            return
        giver, given, receiver, other = picked
        try:
            body = {"object_id": given, "to_user_id": receiver.id}
            status, offer = await self.call("transfer", "POST", "/api/transfers", giver, json=body)
            if status != 201:
                return
            path = f"/api/transfers/{offer['id']}/accept"
            if (await self.call("transfer", "POST", path, receiver))[0] == 200:
                self.owner[given] = receiver.id
        finally:
            self.busy.difference_update((given, other))

    def actions(self) -> dict[str, Callable[[], Awaitable[None]]]:
        return {"gallery": self.gallery, "search": self.search, "view": self.view,
                "upload": self.upload, "webhook": self.webhook, "trade": self.trade,
                "transfer": self.transfer}  # fmt: skip


async def paced(
    kind: str, rate: float, action: Callable[[], Awaitable[None]], until: float, record: Record
) -> None:
    """Start `action` `rate` times a second until `until`, whatever the earlier ones are doing
    (an open loop: a slow app does not slow the offered load), then wait for the last ones."""
    tasks: set[asyncio.Task[None]] = set()

    async def guarded() -> None:
        try:
            await action()
        except Exception:  # counted and shown; the soak goes on
            record.crashes[kind] += 1

    tick = time.monotonic()
    while tick < until:
        await asyncio.sleep(max(0.0, tick - time.monotonic()))
        if len(tasks) < IN_FLIGHT_MAX:
            task = asyncio.create_task(guarded())
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        else:
            record.skipped[kind] += 1
        tick += 1.0 / rate
    await asyncio.gather(*tasks)


async def run_load(load: Load, until: float, scale: float) -> None:
    actions = load.actions()
    await asyncio.gather(*(
        paced(kind, RATES[kind] * scale, actions[kind], until, load.record) for kind in KINDS
    ))  # fmt: skip


@asynccontextmanager
async def sandbox_process(port: int) -> AsyncIterator[tuple[SandboxControl, psutil.Process]]:
    """`python -m sandbox` in its own process: it keeps every message and upload in memory."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox", "--port", str(port), cwd=REPO,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        async with SandboxControl(f"http://127.0.0.1:{port}") as control:
            for _ in range(100):
                try:
                    await control.stats()
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            yield control, psutil.Process(process.pid)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
