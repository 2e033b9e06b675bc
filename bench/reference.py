"""What a bench needs to run its reference beside the app and compare: the reference server in a
process of its own, the app's schema without the app, the server's own CPU, the ratio lines."""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from pathlib import Path

import asyncpg
import httpx
import psutil

from storage.migrate import migrate


async def migrated(database_url: str) -> None:
    """The app's schema in a scratch database, for a reference that runs without the app."""
    conn = await asyncpg.connect(database_url)
    try:
        await migrate(conn)
    finally:
        await conn.close()


@asynccontextmanager
async def running_script(script: Path, *args: str, ready_url: str) -> AsyncIterator[None]:
    """A bench reference server (`python script args...`) in its own process, until it answers
    `ready_url` (any status: a reference may refuse a bare GET)."""
    process = await asyncio.create_subprocess_exec(sys.executable, str(script), *args)
    profiler = None
    try:
        await _wait_answering(ready_url, process)
        profiler = await start_profiler(process.pid, ".reference")
        yield
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        if profiler is not None:
            await profiler.wait()


async def start_profiler(pid: int, suffix: str = "") -> asyncio.subprocess.Process | None:
    """With BENCH_PROFILE=<file>, py-spy samples the app from ready until it exits (a folded
    stacks file: `sort | uniq`, or flamegraph.pl, reads it); a bench's reference server goes to
    `<file>.reference`. BENCH_PROFILE_NATIVE=1 adds the C frames (asyncpg's protocol, the loop)."""
    target = os.environ.get("BENCH_PROFILE")
    if not target:
        return None
    command = ["py-spy", "record", "-p", str(pid), "-r", "250", "-f", "raw", "-o", target + suffix]
    if os.environ.get("BENCH_PROFILE_NATIVE") == "1":
        command.append("--native")
    return await asyncio.create_subprocess_exec(
        *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )


async def _wait_answering(url: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"{url}'s server exited with {process.returncode}")
            try:
                await client.get(url)
                return
            except httpx.TransportError:
                await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not answer in 30 s")


def ratio_line(name: str, app: float, reference: float, target: str) -> str:
    """`  name  ratio N.NNx  (target ...)`: the app's figure over the reference's, same run."""
    return f"  {name:24} ratio {app / reference:5.2f}x  (target {target})"


def cpu_line(name: str, app_ms: float, reference_ms: float) -> str:
    """The server's own CPU per request, app over reference: how much more work the app does,
    whatever else ran on the cores (throughput alone also counts who else took them)."""
    return (
        f"  {name:24} ratio {app_ms / reference_ms:5.2f}x  "
        f"(app {app_ms:.3f} ms, reference {reference_ms:.3f} ms)"
    )


def server_process(marker: str) -> psutil.Process:
    """The server this bench started whose command line contains `marker`."""
    for process in psutil.Process().children(recursive=True):
        if marker in " ".join(process.cmdline()):
            return process
    raise RuntimeError(f"no process of this bench runs {marker!r}")


def cpu_seconds(process: psutil.Process) -> float:
    """User and system CPU a process has used: what a request costs the server itself, a figure
    the other work on shared cores blurs far less than requests per second."""
    times = process.cpu_times()
    return float(times.user + times.system)


@contextmanager
def stopped(process: psutil.Process) -> Iterator[None]:
    """`process` stopped (SIGSTOP) meanwhile: a server waiting its turn takes no CPU from the one
    under load, whatever its timers and background jobs would do."""
    process.suspend()
    try:
        yield
    finally:
        process.resume()


async def take_turns(
    servers: dict[str, psutil.Process],
    rounds: int,
    load: Callable[[str, psutil.Process], Awaitable[Figures]],
) -> dict[str, list[Figures]]:
    """`rounds` rounds; in each, every server takes its slice of the load (`load(name,
    process)`) in turn, the order rotating so none always goes first, while the others are
    stopped: these shared cores change speed within seconds, so only slices of the same round
    compare. Each server's slices, in round order."""
    slices: dict[str, list[Figures]] = {name: [] for name in servers}
    names = list(servers)
    for n in range(rounds):
        for name in names[n % len(names) :] + names[: n % len(names)]:
            with ExitStack() as others:
                for other, process in servers.items():
                    if other != name:
                        others.enter_context(stopped(process))
                slices[name].append(await load(name, servers[name]))
    return slices


APP_MARKER = "-m gallery"  # the app's command line (scratch databases are named gallery_bench_*)
Figures = dict[str, float]


def combined(slices: list[Figures]) -> Figures:
    """One server's slices of load as one run: requests over time; the median slice's
    latencies (slices' percentiles cannot be merged exactly); CPU per request over all."""
    requests = sum(s["requests"] for s in slices)
    figures = {
        "requests": requests,
        "per_second": requests / sum(s["requests"] / s["per_second"] for s in slices),
        "p50_ms": statistics.median(s["p50_ms"] for s in slices),
        "p99_ms": statistics.median(s["p99_ms"] for s in slices),
    }
    if all("cpu_ms" in s for s in slices):
        figures["cpu_ms"] = sum(s["cpu_ms"] * s["requests"] for s in slices) / requests
    return figures


def rounds_line(
    name: str, app: list[Figures], reference: list[Figures], key: str, target: str
) -> str:
    """ratio_line of the median of each round's ratio (app slice over the reference's slice of
    the same round), then every round's."""
    ratios = [a[key] / r[key] for a, r in zip(app, reference, strict=True)]
    each = ", ".join(f"{ratio:.2f}" for ratio in ratios)
    return f"{ratio_line(name, statistics.median(ratios), 1.0, target)}  rounds {each}"
