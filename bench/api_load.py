"""The load for bench/api.py: wrk when installed (a token goes in through a Lua script), else
an aiohttp client in a process of its own, run as

    python bench/api_load.py URL SECONDS CONCURRENCY   # prints the figures as JSON
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import describe, have_wrk, wrk
from server.cli import new_event_loop


async def fetch_loop(
    session: aiohttp.ClientSession, url: str, until: float, latencies: list[float]
) -> None:
    token = os.environ.get("BENCH_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    while time.monotonic() < until:
        started = time.perf_counter()
        async with session.get(url, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
        latencies.append(time.perf_counter() - started)


async def generate_load(url: str, seconds: float, concurrency: int) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        warm_until = time.monotonic() + 2
        await asyncio.gather(
            *(fetch_loop(session, url, warm_until, []) for _ in range(concurrency))
        )
        latencies: list[float] = []
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(fetch_loop(session, url, until, latencies) for _ in range(concurrency))
        )
        return describe(latencies, time.monotonic() - started)


# wrk takes headers from a script; the token comes from the environment
AUTH_SCRIPT = 'wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")\n'


def run_load_generator(
    url: str,
    seconds: float,
    concurrency: int,
    token: str | None = None,
    server: psutil.Process | None = None,
) -> dict[str, float]:
    """The figures of a run; with wrk and `server` (the server's process) also its CPU per
    request."""
    env = {"BENCH_TOKEN": token} if token else {}
    if have_wrk() and token:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(AUTH_SCRIPT)
            script.flush()
            lua = Path(script.name)
            return wrk(url, seconds, concurrency, script=lua, env=env, cpu_of=server)
    if have_wrk():
        return wrk(url, seconds, concurrency, cpu_of=server)
    command = [sys.executable, __file__, url, str(seconds), str(concurrency)]
    result = subprocess.run(
        command, check=True, capture_output=True, text=True, env={**os.environ, **env}
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


if __name__ == "__main__":
    url, seconds, concurrency = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    loop = new_event_loop()
    print(json.dumps(loop.run_until_complete(generate_load(url, seconds, concurrency))))
