"""How the cost of the everyday calls grows with the data: 10,000, 100,000 and 1,000,000 objects.

Every size gets a scratch database (BENCH_DATABASE_URL's server, default the local PostgreSQL,
dropped at the end), migrated and seeded with COPY (bench/scale_seed.py: people, photos, objects,
history, favourites, approvals, trades), and its own `python -m gallery` (sandbox mode, abuse
limits off). Then one client times, one call at a time, in rounds that visit every size in turn
(so a load elsewhere on the machine falls on all sizes alike): the near-duplicate check as intake
calls it (reference: the old scan of every dHash), and over HTTP as the mini-app's person 0 the
first and a middle page of GET /api/objects, a search, a profile page and a trade accept. Figures
are medians over the rounds. Target: each at the largest size within 2x of the smallest; for one
over, its call runs again in a rolled-back transaction and its slowest statement is EXPLAINed.

    python bench/scale.py [--sizes 10000,100000,1000000] [--repeat 21]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import aiohttp
import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import scale_seed
from bench.harness import free_port, running_app, scratch_database
from bench.scale_seed import USER_BASE, VIEWER, deep_cursor, near_queries
from gallery.objects import browse
from gallery.profiles import privacy
from gallery.trades import accept
from sandbox.signer import sign_init_data
from storage import photos
from storage.db import Connection, init_connection
from storage.migrate import migrate

SANDBOX_TOKEN = "sandbox-token"  # noqa: S105 - the local emulator's well-known token
RADIUS = 4  # media.near_duplicate_distance's default
PAGE = 30
WORD = "lighthouse"  # one subject in 40: in about 5% of titles and descriptions
PROFILE = USER_BASE + 200  # a public collection of a typical size
WARM = 3
INDEXED, SCAN = "near-duplicate, indexed", "near-duplicate, old scan"
Call = Callable[[Connection], Awaitable[object]]


async def near_duplicate(conn: asyncpg.Connection, queries: list[int]) -> dict[str, list[float]]:
    """Each query through the indexes (many samples), the last also by the scan: the same."""
    timings: dict[str, list[float]] = {INDEXED: [], SCAN: []}
    for query in queries:
        started = time.perf_counter()
        found = await photos.find_near_duplicate(conn, query, RADIUS, VIEWER)
        timings[INDEXED].append(time.perf_counter() - started)
    started = time.perf_counter()
    assert found == await photos.find_near_duplicate_by_scan(conn, query, RADIUS, VIEWER)
    timings[SCAN].append(time.perf_counter() - started)
    return timings


def ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


class Client:
    """The mini-app's person 0, logged in through the sandbox's signed launch data."""

    def __init__(self, session: aiohttp.ClientSession, base: str, token: str) -> None:
        self.session, self.base = session, base
        self.headers = {"Authorization": f"Bearer {token}"}

    async def timed(self, method: str, path: str, body: object) -> float:
        started = time.perf_counter()
        url = self.base + path
        async with self.session.request(method, url, json=body, headers=self.headers) as answer:
            await answer.read()
            if answer.status != 200:
                raise RuntimeError(f"{method} {path} answered {answer.status}")
        return time.perf_counter() - started


async def log_in(session: aiohttp.ClientSession, base: str) -> str:
    init_data = sign_init_data(SANDBOX_TOKEN, {"id": VIEWER, "first_name": "Collector 0"})
    async with session.post(f"{base}/api/auth", json={"init_data": init_data}) as answer:
        body = await answer.json()
        return str(body["access_token"])


def requests(objects: int, round_: int) -> dict[str, tuple[str, str, object]]:
    """Each figure's method, path and body in a round (each round accepts the next trade)."""
    objects_path = f"/api/objects?limit={PAGE}"
    middle = f"{objects_path}&cursor={deep_cursor(objects)}"
    trade = scale_seed.pending_trade_ids(objects)[round_]
    return {
        "GET /api/objects, first page": ("GET", objects_path, None),
        "GET /api/objects, middle page": ("GET", middle, None),
        f"search '{WORD}'": ("GET", f"{objects_path}&q={WORD}", None),
        "GET /api/users/{id} (profile)": ("GET", f"/api/users/{PROFILE}", None),
        "POST /api/trades/{id}/accept": ("POST", f"/api/trades/{trade}/accept", {"version": 1}),
    }


@dataclass
class Site:
    """One size: its database, seeded, and its app with person 0 logged in."""

    objects: int
    conn: asyncpg.Connection
    client: Client
    samples: dict[str, list[float]] = field(default_factory=dict)

    async def round(self, round_: int) -> None:
        queries = near_queries(self.objects)
        timings = await near_duplicate(
            self.conn, [queries[(round_ * 5 + k) % 20] for k in range(5)]
        )
        for name, (method, path, body) in requests(self.objects, round_).items():
            timings[name] = [await self.client.timed(method, path, body)]
        if round_ >= WARM:
            for name, seconds in timings.items():
                self.samples.setdefault(name, []).extend(seconds)

    def figures(self) -> dict[str, float]:
        return {name: ms(seconds) for name, seconds in self.samples.items()}


@asynccontextmanager
async def site(objects: int) -> AsyncIterator[Site]:
    async with scratch_database() as database_url:
        conn = await asyncpg.connect(database_url)
        try:
            await init_connection(conn)
            await migrate(conn)
            started = time.monotonic()
            await scale_seed.seed(conn, objects)
            print(f"  {objects:,} objects seeded in {time.monotonic() - started:.0f} s", flush=True)
            app = running_app(database_url, free_port(), GALLERY_LIMITS__ENABLED="false")
            async with app as base, aiohttp.ClientSession() as session:
                yield Site(objects, conn, Client(session, base, await log_in(session, base)))
        finally:
            await conn.close()


def in_process(objects: int) -> dict[str, Call]:
    """The call behind each figure, as its route makes it (the last trade is never timed)."""
    last_trade = scale_seed.pending_trade_ids(objects)[-1]
    query = near_queries(objects)[0]
    names = list(requests(objects, 0))
    return {
        INDEXED: lambda c: photos.find_near_duplicate(c, query, RADIUS, VIEWER),
        names[0]: lambda c: browse.gallery_page(c, VIEWER, limit=PAGE),
        names[1]: lambda c: browse.gallery_page(c, VIEWER, limit=PAGE, cursor=deep_cursor(objects)),
        names[2]: lambda c: browse.gallery_page(c, VIEWER, limit=PAGE, text=WORD),
        names[3]: lambda c: privacy.profile(c, PROFILE, VIEWER),
        names[4]: lambda c: accept.accept_trade(c, last_trade, VIEWER, 1),
    }


class Recorder:
    """A connection that times every statement it runs and passes everything else through."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn
        self.statements: list[tuple[float, str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.conn, name)
        if name not in {"fetch", "fetchrow", "fetchval", "execute"}:
            return method

        async def timed(sql: str, *args: Any, **options: Any) -> Any:
            started = time.perf_counter()
            result = await method(sql, *args, **options)
            self.statements.append((time.perf_counter() - started, sql, args))
            return result

        return timed


async def slowest_plan(conn: asyncpg.Connection, call: Call) -> str:
    """The call in a transaction rolled back after EXPLAIN ANALYZE of its slowest statement."""
    recorder = Recorder(conn)
    transaction = conn.transaction()
    await transaction.start()
    try:
        await call(cast(Connection, recorder))
        took, sql, args = max(recorder.statements, key=lambda statement: statement[0])
        rows = await conn.fetch("EXPLAIN (ANALYZE, BUFFERS) " + sql, *args)
        return f"({took * 1000:.2f} ms) {sql.strip()}\n" + "\n".join(r[0] for r in rows)
    except asyncpg.PostgresError as error:
        return f"not explained: {error}"
    finally:
        await transaction.rollback()


def report(sizes: list[int], figures: dict[int, dict[str, float]]) -> None:
    first, last = sizes[0], sizes[-1]
    columns = "".join(f"{size:>12,}" for size in sizes)
    print(f"\nmedian ms per call{'':22}{columns}   {last:,}/{first:,}")
    for name in figures[first]:
        values = "".join(f"{figures[size][name]:12.2f}" for size in sizes)
        ratio = figures[last][name] / figures[first][name]
        verdict = "reference" if name == SCAN else "ok" if ratio <= 2 else "OVER 2x"
        print(f"  {name:38}{values}   {ratio:5.2f}x {verdict}")
    speedups = "".join(f"{figures[s][SCAN] / figures[s][INDEXED]:11.0f}x" for s in sizes)
    print(f"  {'old scan / indexed':38}{speedups}")


async def run(sizes: list[int], repeat: int) -> None:
    async with AsyncExitStack() as stack:
        sites = [await stack.enter_async_context(site(size)) for size in sizes]
        for round_ in range(WARM + repeat):
            for visit in range(len(sites)):  # a different size goes first in each round
                await sites[(round_ + visit) % len(sites)].round(round_)
        figures = {one.objects: one.figures() for one in sites}
        report(sizes, figures)
        for one in sites[1:]:
            await print_plans(one, figures[sizes[0]])


async def print_plans(one: Site, baseline: dict[str, float]) -> None:
    """The slowest statement of each figure over twice the smallest size's."""
    calls = in_process(one.objects)
    for name, figure in one.figures().items():
        if name != SCAN and figure > 2 * baseline[name]:
            plan = await slowest_plan(one.conn, calls[name])
            print(f"\n{name} at {one.objects:,} objects, over 2x. Slowest statement:\n{plan}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=21, help="timed rounds")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if WARM + args.repeat > scale_seed.TRADES - 1:
        parser.error(f"--repeat at most {scale_seed.TRADES - 1 - WARM}: one trade per round")
    asyncio.run(run(sizes, args.repeat))


if __name__ == "__main__":
    main()
