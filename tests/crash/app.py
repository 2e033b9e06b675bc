"""`python -m gallery run` as a process a test can SIGKILL and start again on the same database
and media directory, in webhook mode (a public URL: the sandbox posts updates to it) or in
long-polling mode (no public URL: the app asks the sandbox for updates)."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tests.cluster.processes import Service, free_port
from tests.cluster.stack import base_environment

Mode = Literal["webhook", "polling"]
READY_TIMEOUT_S = 60.0


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def app_environment(
    mode: Mode, port: int, database_url: str, media_root: Path, sandbox_url: str, token: str
) -> dict[str, str]:
    public_url = f"http://127.0.0.1:{port}" if mode == "webhook" else ""
    return {
        **base_environment(),
        "GALLERY_SERVER__HOST": "127.0.0.1",
        "GALLERY_SERVER__PORT": str(port),
        "GALLERY_SERVER__PUBLIC_URL": public_url,
        "GALLERY_SERVER__SHUTDOWN_TIMEOUT_S": "3",
        "GALLERY_SERVER__ACCESS_LOG": "false",
        "GALLERY_DATABASE__URL": database_url,
        "GALLERY_DATABASE__POOL_MAX": "8",
        "GALLERY_BOT__TOKEN": token,
        "GALLERY_BOT__API_BASE_URL": sandbox_url,
        # a poll answers at once when updates wait; a short one only bounds an idle wait
        "GALLERY_BOT__LONG_POLL_TIMEOUT_S": "5",
        "GALLERY_SANDBOX__MODE": "off",
        "GALLERY_MEDIA__ROOT": str(media_root),
        "GALLERY_MEDIA__ALLOW_NEAR_DUPLICATES": "true",
        "GALLERY_JOBS__OUTBOX_POLL_S": "1",
    }


@dataclass
class GalleryProcess:
    """The app, started (and restarted) with the same settings each time; every start's output
    goes to one log file."""

    mode: Mode
    database_url: str
    media_root: Path
    sandbox_url: str
    token: str
    workdir: Path
    port: int = field(default_factory=free_port)
    service: Service | None = None
    starts: int = 0

    def start(self) -> float:
        """Start and wait until /ready answers; the seconds that took."""
        env = app_environment(
            self.mode, self.port, self.database_url, self.media_root, self.sandbox_url, self.token
        )
        argv = [sys.executable, "-m", "gallery", "run", "--port", str(self.port)]
        self.service = Service(
            f"gallery-{self.mode}",
            argv,
            env,
            self.workdir / "gallery.log",
            self.port,
            cwd=self.workdir,
        )
        started = time.monotonic()
        self.service.start()
        self.starts += 1
        url = f"http://127.0.0.1:{self.port}/ready"
        self.service.wait_until(lambda: ready(url), READY_TIMEOUT_S)
        return time.monotonic() - started

    def kill(self) -> None:
        assert self.service is not None
        self.service.kill()

    def stop(self) -> None:
        if self.service is not None:
            self.service.stop()

    def log_tail(self, lines: int = 80) -> str:
        return "" if self.service is None else self.service.log_tail(lines)
