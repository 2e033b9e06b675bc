"""Start-up time and idle memory of `python -m gallery` as the README's first command runs it:
no database configured, so it starts its embedded PostgreSQL in a data directory of its own
(here a fresh temporary one), and with no bot token the MAX sandbox in the same process.

The cold start is the first (initdb, then every migration); the warm start the second, on the
data directory the first left. Each is timed from the process's spawn to the first 200 from
/ready; after --idle seconds of quiet the app process's RSS is read, and the whole tree's: the
app, its children and the embedded PostgreSQL's processes (a daemon, not a child), as RSS and
as PSS (shared pages counted once, split between the processes that map them).

The reference in the same run is a bare `python -c "import aiohttp, asyncpg"` process (on the
same event loop the app uses): its time from spawn to ready and its idle RSS; the ratios say how
much the app adds to the least an aiohttp + asyncpg service costs on this machine.

    python bench/startup.py [--idle 5]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import REPO, free_port
from bench.reference import ratio_line

MB = 2**20
READY_TIMEOUT_S = 120.0
# the least a service of this stack does before it can answer: the imports and the event loop
REFERENCE = "import asyncio, aiohttp, aiohttp.web, asyncpg, uvloop; print('ready', flush=True)"


@dataclass(frozen=True)
class Start:
    ready_s: float
    app_rss_mb: float
    tree_rss_mb: float
    tree_pss_mb: float


def app_environment(data_dir: Path, port: int) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
    return {
        **environment,
        "GALLERY_DATABASE__URL": "",
        "GALLERY_DATABASE__EMBEDDED_DIR": str(data_dir / "postgres"),
        "GALLERY_MEDIA__ROOT": str(data_dir / "media"),
        "GALLERY_SERVER__PORT": str(port),
        "GALLERY_SANDBOX__PORT": str(free_port()),
        "GALLERY_SERVER__ACCESS_LOG": "false",
        "GALLERY_LOG__LEVEL": "WARNING",
    }


def wait_ready(url: str, process: subprocess.Popen[bytes], started: float) -> float:
    """Seconds from `started` to the first 200 from `url`, polled every 10 ms."""
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() - started < READY_TIMEOUT_S:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited with {process.returncode}")
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.01)
    raise RuntimeError(f"{url} not ready in {READY_TIMEOUT_S:.0f} s")


def tree(app: psutil.Process, data_dir: Path) -> list[psutil.Process]:
    """The app, its descendants, and the PostgreSQL server running on `data_dir` with its
    backends (pg_ctl starts it detached, so it is no child of the app)."""
    members = {p.pid: p for p in [app, *app.children(recursive=True)]}
    for process in psutil.process_iter(["cmdline"]):
        if str(data_dir) in " ".join(process.info["cmdline"] or []):
            for member in [process, *process.children(recursive=True)]:
                members[member.pid] = member
    return list(members.values())


def memory_of(processes: list[psutil.Process]) -> tuple[float, float]:
    """Summed RSS and PSS (MiB) of the processes still alive."""
    rss = pss = 0
    for process in processes:
        try:
            full = process.memory_full_info()
        except psutil.NoSuchProcess:
            continue
        rss, pss = rss + full.rss, pss + full.pss
    return rss / MB, pss / MB


def start_app(data_dir: Path, idle_s: float) -> Start:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "gallery", "run"],
        cwd=REPO,
        env=app_environment(data_dir, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        ready_s = wait_ready(f"http://127.0.0.1:{port}/ready", process, started)
        time.sleep(idle_s)
        app = psutil.Process(process.pid)
        tree_rss, tree_pss = memory_of(tree(app, data_dir))
        return Start(ready_s, app.memory_info().rss / MB, tree_rss, tree_pss)
    finally:
        process.terminate()
        process.wait(60)


def start_reference(idle_s: float) -> Start:
    started = time.perf_counter()
    command = [sys.executable, "-c", f"{REFERENCE}\nimport time; time.sleep({idle_s + 5})"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    try:
        assert process.stdout is not None
        process.stdout.readline()
        ready_s = time.perf_counter() - started
        time.sleep(idle_s)
        rss, pss = memory_of([psutil.Process(process.pid)])
        return Start(ready_s, rss, rss, pss)
    finally:
        process.kill()
        process.wait()


def report(reference: Start, cold: Start, warm: Start, idle_s: float) -> None:
    print(
        f"python -m gallery, embedded PostgreSQL in a new data directory; after {idle_s:g} s idle"
    )
    print(f"  {'':32} {'to ready':>9} {'app RSS':>9} {'tree RSS':>9} {'tree PSS':>9}")
    for name, start in (
        ("bare python: aiohttp+asyncpg", reference),
        ("app, cold (initdb, migrations)", cold),
        ("app, warm (second start)", warm),
    ):
        print(
            f"  {name:32} {start.ready_s:8.2f}s {start.app_rss_mb:6.1f} MB"
            f" {start.tree_rss_mb:6.1f} MB {start.tree_pss_mb:6.1f} MB"
        )
    print(f"  warm start {warm.ready_s:.2f} s (target <= 1.5 s); "
          f"idle app RSS {warm.app_rss_mb:.1f} MB (target <= 100 MB)")  # fmt: skip
    print(ratio_line("warm start", warm.ready_s, reference.ready_s, "warm <= 1.5 s"))
    print(ratio_line("idle app RSS", warm.app_rss_mb, reference.app_rss_mb, "app <= 100 MB"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of quiet before memory")
    args = parser.parse_args()
    reference = start_reference(args.idle)
    with tempfile.TemporaryDirectory(prefix="gallery-startup-") as data_dir:
        cold = start_app(Path(data_dir), args.idle)
        warm = start_app(Path(data_dir), args.idle)
    report(reference, cold, warm, args.idle)


if __name__ == "__main__":
    main()
