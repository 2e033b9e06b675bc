"""The app as operators run it, `python -m gallery run` in a process of its own, with the
in-test sandbox standing in for MAX. It is started once per test and never restarted: what the
test measures is how it rides out a fault by itself."""

from __future__ import annotations

import asyncio
import re
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sandbox.runner import RunningSandbox
from tests.cluster.processes import Service, free_port
from tests.cluster.stack import answers_200, base_environment

START_TIMEOUT_S = 60.0


def app_environment(
    port: int, database_url: str, sandbox: RunningSandbox, media: dict[str, str]
) -> dict[str, str]:
    return {
        **base_environment(),
        **media,
        "GALLERY_SERVER__HOST": "127.0.0.1",
        "GALLERY_SERVER__PORT": str(port),
        "GALLERY_SERVER__PUBLIC_URL": f"http://127.0.0.1:{port}",
        "GALLERY_SERVER__SHUTDOWN_TIMEOUT_S": "3",
        "GALLERY_SERVER__ACCESS_LOG": "false",
        "GALLERY_DATABASE__URL": database_url,
        "GALLERY_BOT__TOKEN": sandbox.token,
        "GALLERY_BOT__API_BASE_URL": sandbox.base_url,
        "GALLERY_BOT__WEBHOOK_SECRET": "faults_webhook_secret",
        "GALLERY_SANDBOX__MODE": "off",
        "GALLERY_MEDIA__ALLOW_NEAR_DUPLICATES": "true",
        "GALLERY_JOBS__OUTBOX_POLL_S": "1",
        # a load generator, not people: the abuse limits would refuse it
        "GALLERY_LIMITS__ENABLED": "false",
    }


@asynccontextmanager
async def running_app(
    workdir: Path, database_url: str, sandbox: RunningSandbox, media: dict[str, str]
) -> AsyncIterator[Service]:
    """The app, ready (/ready 200), then stopped. Waits run in threads: the sandbox the app
    subscribes its webhook at lives on this event loop."""
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    port = free_port()
    argv = [sys.executable, "-m", "gallery", "run", "--port", str(port)]
    env = app_environment(port, database_url, sandbox, media)
    app = Service("app", argv, env, workdir / "app.log", port, cwd=workdir)
    app.start()
    try:
        ready = f"{base_url(app)}/ready"
        await asyncio.to_thread(app.wait_until, lambda: answers_200(ready), START_TIMEOUT_S)
        yield app
    finally:
        await asyncio.to_thread(app.stop)


def base_url(app: Service) -> str:
    return f"http://127.0.0.1:{app.port}"


def errors_logged(app: Service) -> Counter[str]:
    """The app's ERROR lines (a 500, a crashed task) by logger and message, without the time
    and ids: a fault it rode out should log warnings only."""
    lines = [line.split(" ", 3)[-1] for line in app.log_text().splitlines() if " ERROR " in line]
    return Counter(re.sub(r"[0-9a-f]{16,}", "…", line)[:120] for line in lines)
