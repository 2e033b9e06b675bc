"""The cluster run's figures: requests, errors around the kill by method, time to recover; printed
and written to a note outside the repository."""

from __future__ import annotations

import os
import shlex
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.cluster.traffic import Outcome

NOTE = Path(os.environ.get("CLUSTER_NOTE", "/work/notes/issue12-cluster.md"))


@dataclass(frozen=True)
class Timeline:
    killed: float  # time.monotonic() of the SIGKILL
    ready: float  # the restarted replica answers /ready
    killed_wall: float  # time.time() of the SIGKILL
    served_wall: float | None = None  # the restarted replica's first request through Caddy


def first_served(log: str) -> float | None:
    """When the last-started process in `log` first answered a request other than Caddy's
    health check (local time, as the app's log lines stamp it)."""
    for line in log.rsplit("--- start ", 1)[-1].splitlines():
        if " gallery.access " in line and '"GET /ready"' not in line:
            return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()  # noqa: DTZ007 - local, as logged
    return None


@dataclass
class Figures:
    media: str
    outcomes: list[Outcome]
    timeline: Timeline
    elapsed_s: float
    webhooks: list[dict[str, object]]
    facts: dict[str, object] = field(default_factory=dict)

    def by_method(self, outcomes: list[Outcome]) -> str:
        counts = Counter(o.method for o in outcomes)
        return ", ".join(f"{m} {n}" for m, n in sorted(counts.items())) or "none"

    def lines(self) -> list[str]:
        failed = [o for o in self.outcomes if o.failed]
        killed = self.timeline.killed
        last_failure = max((o.ended for o in failed), default=killed)
        webhook_failures = Counter(str(d.get("status") or d.get("error"))
                                   for d in self.webhooks if d.get("status") != 200)
        served = self.timeline.served_wall
        rotation = f"{served - self.timeline.killed_wall:.2f} s" if served else "not seen"
        kinds = Counter(str(o.status or o.error) for o in failed)
        return [
            f"- media store: {self.media}; 3 replicas behind Caddy (tls internal), one SIGKILLed",
            f"- wall time of the scenario: {self.elapsed_s:.1f} s",
            f"- client requests through Caddy: {len(self.outcomes)} "
            f"({self.by_method(self.outcomes)})",
            f"- failed (5xx or no answer): {len(failed)} ({self.by_method(failed)}); "
            f"kinds: {dict(kinds) or 'none'}",
            f"- webhook deliveries (sandbox → Caddy): {len(self.webhooks)}, not 200: "
            f"{dict(webhook_failures) or 'none'} (each redelivered by the sandbox)",
            f"- kill → replica ready again: {self.timeline.ready - killed:.2f} s; → serving "
            f"through Caddy again: {rotation}",
            f"- kill → last failed client request: {max(0.0, last_failure - killed):.2f} s",
            *(f"- {name}: {value}" for name, value in self.facts.items()),
        ]


def command_line() -> str:
    database = os.environ.get("TEST_DATABASE_URL")
    prefix = f"TEST_DATABASE_URL={database} " if database else ""
    return prefix + "python -m pytest " + shlex.join(sys.argv[1:])


def publish(figures: Figures) -> None:
    lines = figures.lines()
    print("\n".join(["", "cluster report", *lines]))  # noqa: T201 - the report is the point
    NOTE.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    NOTE.write_text("\n".join([
        "# Issue 12: the cluster run", "",
        f"{stamp}, `cd /work/main && . .venv/bin/activate && {command_line()}`", "",
        *lines, "",
    ]))  # fmt: skip
