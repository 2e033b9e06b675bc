"""Shared bench plumbing: a scratch database, the app in its own process, latency figures."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import psutil

from bench.reference import cpu_seconds, start_profiler

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@asynccontextmanager
async def scratch_database(server_url: str | None = None) -> AsyncIterator[str]:
    """A new empty database on BENCH_DATABASE_URL's server (default: local PostgreSQL)."""
    server = server_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_SERVER)
    name = f"gallery_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_db(server, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


# Every bench loads the app from one address at hundreds of requests a second, far past the
# abuse limits' per-minute ceilings. The limits stay on, so what counting costs is in the
# figures, with ceilings no bench reaches; pass these to running_app.
_CEILING = "1000000000"
LIFTED_LIMITS = {
    **{
        f"GALLERY_LIMITS__{rule}__{subject}": _CEILING
        for rule in ("AUTH", "SEARCH", "TRADE")
        for subject in ("PERSON", "ADDRESS")
    },
    "GALLERY_LIMITS__CHAT_COMMANDS_PER_MINUTE": _CEILING,
}


@asynccontextmanager
async def running_app(database_url: str, port: int, **env: str) -> AsyncIterator[str]:
    """`python -m gallery` in its own process, against the sandbox; yields its base URL."""
    environment = {
        **os.environ,
        "GALLERY_DATABASE__URL": database_url,
        "GALLERY_SERVER__PORT": str(port),
        "GALLERY_SANDBOX__MODE": "on",
        "GALLERY_SANDBOX__PORT": str(free_port()),
        "GALLERY_SERVER__ACCESS_LOG": "false",
        "GALLERY_LOG__LEVEL": "WARNING",
        **env,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "gallery",
        "run",
        cwd=REPO,
        env=environment,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    profiler: asyncio.subprocess.Process | None = None
    try:
        await _wait_ready(base, process)
        profiler = await start_profiler(process.pid)
        yield base
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
        if profiler is not None:
            await profiler.wait()


async def _wait_ready(base: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"the app exited with {process.returncode}")
            try:
                if (await client.get(f"{base}/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the app did not become ready in 60 s")


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def describe(latencies_s: Sequence[float], elapsed_s: float) -> dict[str, float]:
    return {
        "requests": len(latencies_s),
        "per_second": len(latencies_s) / elapsed_s,
        "p50_ms": statistics.median(latencies_s) * 1000,
        "p99_ms": percentile(latencies_s, 0.99) * 1000,
    }


def have_wrk() -> bool:
    """wrk (Debian package `wrk`) loads a server from C: on two shared cores a Python load
    generator takes CPU from the server under test and adds its own loop lag to latencies."""
    return shutil.which("wrk") is not None


def wrk(
    url: str,
    seconds: float,
    connections: int,
    *,
    script: Path | None = None,
    env: dict[str, str] | None = None,
    warm_s: float = 2.0,
    cpu_of: psutil.Process | None = None,
) -> dict[str, float]:
    """Run wrk (2 threads) after a warm-up; requests/s and latency percentiles, and with
    `cpu_of` the server's CPU milliseconds per request (`cpu_ms`) over the measured run."""
    extra = ["-s", str(script)] if script is not None else []
    environment = {**os.environ, **(env or {})}
    base = ["wrk", "-t2", f"-c{connections}", "--latency", *extra]
    if warm_s > 0:
        subprocess.run(
            [*base, f"-d{warm_s:.0f}s", url], check=True, capture_output=True, env=environment
        )
    cpu_before = cpu_seconds(cpu_of) if cpu_of is not None else 0.0
    result = subprocess.run(
        [*base, f"-d{seconds:.0f}s", url],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
    )
    figures = parse_wrk(result.stdout)
    if cpu_of is not None:
        figures["cpu_ms"] = (cpu_seconds(cpu_of) - cpu_before) * 1000 / figures["requests"]
    return figures


def parse_wrk(output: str) -> dict[str, float]:
    if "Non-2xx" in output:
        raise RuntimeError(f"the server refused requests:\n{output}")
    figures: dict[str, float] = {}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["50%"]:
            figures["p50_ms"] = _to_ms(parts[1])
        elif parts[:1] == ["99%"]:
            figures["p99_ms"] = _to_ms(parts[1])
        elif parts[:1] == ["Requests/sec:"]:
            figures["per_second"] = float(parts[1])
        elif "requests in" in line:
            figures["requests"] = float(parts[0])
    return figures


def _to_ms(value: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * factor
    raise ValueError(value)
