"""Soak: a steady mixed load for --minutes against `python -m gallery`, minute by minute.

The app runs in its own process (a scratch database on BENCH_DATABASE_URL's server, default the
local PostgreSQL, dropped at the end; media in a temporary directory) against the MAX sandbox in
a process of its own (`python -m sandbox`; the app gets its token and an http public URL, so
updates come by webhook): the emulator keeps every message and upload in memory, which in the
app's process would read as the app's RSS growth. Sandbox people start the bot, log in through
/api/auth and upload a few photos each; then, for --minutes (bench/soak_load.py RATES, about 60
requests/s in all, times --scale): gallery pages, searches, single objects, uploads through
POST /api/photos, photos sent to the bot (the sandbox posts them to the app's webhook), trades
proposed and accepted, direct transfers offered and accepted.

The abuse limits stay on, with every rate raised far above the soak's (LIMITS below, through
GALLERY_LIMITS__…): one address and a few dozen people would otherwise be refused within a
minute, and the limit code stays on every request's path.

Each minute prints requests/s by kind, p50/p99 of all answers, the app's RSS and open file
descriptors (psutil; how many are TCP sockets), the pool's size, the most connections waiting for
the pool and the deepest outbox (scraped from /metrics every 5 s), the 5xx answers (the client's
and the app's own count, which includes the webhook) and the sandbox's RSS. At the end:
PASS/FAIL per target, after waiting up to 60 s for the outbox to drain. On a shared machine the
figures are noisy.

    python bench/soak.py [--minutes 10] [--people 24] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import free_port, percentile, running_app, scratch_database
from bench.soak_load import KINDS, Load, Record, run_load, sandbox_process
from sandbox.config import SandboxConfig
from sandbox.control import SandboxControl

RULES = ("auth", "upload", "search", "trade", "transfer", "profile_request", "favorite", "report")
LIMITS = {
    **{f"GALLERY_LIMITS__{rule.upper()}__{who}": "1000000" for rule in RULES
       for who in ("PERSON", "ADDRESS")},
    "GALLERY_LIMITS__UPLOADS_PER_DAY": "1000000",
    "GALLERY_LIMITS__UPLOAD_BYTES_PER_DAY": str(10**12),
    "GALLERY_LIMITS__CHAT_PHOTOS_PER_MINUTE": "100000",
    "GALLERY_LIMITS__CHAT_COMMANDS_PER_MINUTE": "100000",
    "GALLERY_LIMITS__QUOTA_OBJECTS": "1000000",
    "GALLERY_LIMITS__QUOTA_BYTES": str(10**12),
}  # fmt: skip
SAMPLE_S = 5.0
DRAIN_S = 60.0
METRIC = re.compile(r"^(gallery_[a-z_]+)(\{[^}]*\})? ([0-9.e+-]+|NaN)$", re.MULTILINE)


@dataclass
class Sample:
    rss: int
    fds: int
    sockets: int  # of the fds: TCP (clients' keep-alive connections, the pool, the sandbox)
    pool_waiting: float
    pool_size: float
    outbox: float
    server_5xx: float
    webhooks: float  # updates the app's webhook answered
    sandbox_rss: int


async def scrape(
    session: aiohttp.ClientSession, base: str, app: psutil.Process, sandbox: psutil.Process
) -> Sample:
    async with session.get(f"{base}/metrics") as response:
        text = await response.text()
    waiting = size = outbox = errors = webhooks = 0.0
    for name, labels, value in METRIC.findall(text):
        if name == "gallery_db_pool_waiting":
            waiting = float(value)
        elif name == "gallery_db_pool_size":
            size = float(value)
        elif name == "gallery_outbox_pending":
            outbox = float(value)
        elif name == "gallery_http_requests_total" and 'status="5' in labels:
            errors += float(value)
        if name == "gallery_http_requests_total" and 'route="/max/webhook"' in labels:
            webhooks += float(value)
    rss, fds, sockets = app.memory_info().rss, app.num_fds(), len(app.net_connections("tcp"))
    return Sample(
        rss, fds, sockets, waiting, size, outbox, errors, webhooks, sandbox.memory_info().rss
    )


@dataclass
class Minute:
    rates: dict[str, float]
    p50_ms: float
    p99_ms: float
    last: Sample
    pool_waiting: float
    outbox: float
    server_5xx: float
    client_5xx: int
    refused: int  # 4xx and transport errors: not a target, but shown


def summarise(record: Record, since: float, samples: list[Sample], before: Sample) -> Minute:
    answers = [a for a in record.answers if since <= a[0] < since + 60]
    latencies = [a[2] for a in answers] or [0.0]
    return Minute(
        rates={k: sum(1 for a in answers if a[1] == k) / 60 for k in KINDS},
        p50_ms=percentile(latencies, 0.5) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        last=samples[-1],
        pool_waiting=max(s.pool_waiting for s in samples),
        outbox=max(s.outbox for s in samples),
        server_5xx=samples[-1].server_5xx - before.server_5xx,
        client_5xx=sum(1 for a in answers if a[3] >= 500),
        refused=sum(1 for a in answers if a[3] < 500 and not 200 <= a[3] < 300),
    )


COLUMNS = (
    "   p50 ms   p99 ms  RSS MiB  fds  sock  pool  pool wait  outbox  5xx app/client  4xx/err"
    "  sandbox MiB"
)
HEADER = f"{'min':>3} " + " ".join(f"{k[:8]:>8}" for k in KINDS) + COLUMNS


def row(n: int, m: Minute) -> str:
    return (
        f"{n:>3} "
        + " ".join(f"{m.rates[k]:8.1f}" for k in KINDS)
        + f" {m.p50_ms:8.1f} {m.p99_ms:8.1f} {m.last.rss / 2**20:8.1f}"
        f" {m.last.fds:4d} {m.last.sockets:5d} {m.last.pool_size:5.0f}"
        f" {m.pool_waiting:10.0f} {m.outbox:7.0f} {m.server_5xx:9.0f}/{m.client_5xx:<6d}"
        f" {m.refused:7d} {m.last.sandbox_rss / 2**20:12.1f}"
    )


async def drain(session: aiohttp.ClientSession, base: str, procs: tuple[psutil.Process, ...],
                control: SandboxControl) -> float | None:  # fmt: skip
    """Seconds until the sandbox has no webhook backlog and the outbox is empty, or None."""
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_S:
        stats = await control.stats()
        if stats["webhook_backlog"] == 0 and (await scrape(session, base, *procs)).outbox == 0:
            return time.monotonic() - started
        await asyncio.sleep(SAMPLE_S)
    return None


def app_process() -> psutil.Process:
    for child in psutil.Process().children():
        if "gallery" in child.cmdline():
            return child
    raise RuntimeError("no `python -m gallery` child process")


def verdicts(minutes: list[Minute], drained: float | None, record: Record) -> list[str]:
    second, last = minutes[min(1, len(minutes) - 1)], minutes[-1]
    growth = (last.last.rss - second.last.rss) / second.last.rss * 100
    fds = [m.last.fds for m in minutes[1:]] or [last.last.fds]
    fd_drift = max(abs(f - second.last.fds) for f in fds)
    server_5xx = sum(m.server_5xx for m in minutes)
    client_5xx = sum(m.client_5xx for m in minutes)
    checks = [
        (growth < 10, f"RSS after minute 2 grows < 10 %: {growth:+.1f} %"),
        (fd_drift <= 5, f"descriptors flat (±5 of minute 2's {second.last.fds}): "
                        f"at most {fd_drift} away"),
        (last.p99_ms <= 1.5 * second.p99_ms, f"p99 last minute ≤ 1.5× minute 2's: "
         f"{last.p99_ms:.1f} ms vs {second.p99_ms:.1f} ms ({last.p99_ms / second.p99_ms:.2f}×)"),
        (server_5xx == client_5xx == 0, f"zero 5xx: app counted {server_5xx:.0f}, "
                                        f"client saw {client_5xx}"),
        (drained is not None, "outbox drained at the end: "
         + (f"in {drained:.0f} s" if drained is not None else f"not in {DRAIN_S:.0f} s")),
    ]  # fmt: skip
    lines = [f"  {'PASS' if ok else 'FAIL'}  {text}" for ok, text in checks]
    lines.append(
        f"  the app's webhook answered {last.last.webhooks:.0f} deliveries in all (bot starts too)"
    )
    if record.skipped or record.crashes:
        lines.append(f"  note: ticks skipped {dict(record.skipped)}, "
                     f"load-side exceptions {dict(record.crashes)}")  # fmt: skip
    return lines


async def soak(args: argparse.Namespace) -> bool:
    sandbox_port, port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="soak-media-") as media:
        token = SandboxConfig().token
        env = {**LIMITS, "GALLERY_SANDBOX__MODE": "off", "GALLERY_BOT__TOKEN": token,
               "GALLERY_BOT__API_BASE_URL": f"http://127.0.0.1:{sandbox_port}",
               "GALLERY_SERVER__PUBLIC_URL": f"http://127.0.0.1:{port}",
               "GALLERY_MEDIA__ROOT": media, "GALLERY_AUTH__ACCESS_TTL_S": "86400"}  # fmt: skip
        async with (
            scratch_database() as database_url,
            sandbox_process(sandbox_port) as (control, emulator),
            running_app(database_url, port, **env) as base,
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session,
        ):
            app, record = app_process(), Record()
            procs = (app, emulator)
            load = Load(session, base, control, record)
            await load.join(args.people)
            print(f"soak: {args.minutes} min, {args.people} people, {len(load.owner)} objects "
                  f"seeded, rates ×{args.scale}, app pid {app.pid}", flush=True)  # fmt: skip
            print(HEADER, flush=True)
            start = time.monotonic()
            loading = asyncio.create_task(run_load(load, start + args.minutes * 60, args.scale))
            minutes, before = [], await scrape(session, base, *procs)
            for n in range(args.minutes):
                samples = []
                while time.monotonic() < start + (n + 1) * 60:
                    await asyncio.sleep(min(SAMPLE_S, start + (n + 1) * 60 - time.monotonic()))
                    samples.append(await scrape(session, base, *procs))
                minutes.append(summarise(record, start + n * 60, samples, before))
                before = samples[-1]
                print(row(n + 1, minutes[-1]), flush=True)
            await loading
            drained = await drain(session, base, procs, control)
            lines = verdicts(minutes, drained, record)
    print("targets:\n" + "\n".join(lines))
    return not any(line.startswith("  FAIL") for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--people", type=int, default=24)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every kind's rate")
    args = parser.parse_args()
    sys.exit(0 if asyncio.run(soak(args)) else 1)


if __name__ == "__main__":
    main()
