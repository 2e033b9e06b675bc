"""The production shape on one machine: the sandbox as MAX, three `python -m gallery run`
replicas sharing PostgreSQL and the media store, and Caddy in front with TLS. Every process has
its own group and log; `stop_all` ends them whatever happened."""

from __future__ import annotations

import os
import ssl
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import SANDBOX_TOKEN, MediaSettings
from tests.cluster.caddy import caddy_service, root_certificate
from tests.cluster.processes import Service, free_port, listening

REPLICAS = 3
WEBHOOK_SECRET = "cluster_webhook_secret"
# every replica must sign and check with the same keys
SHARED_SECRETS = {
    "GALLERY_AUTH__JWT_SECRET": "cluster-jwt-secret-0123456789abcdef",
    "GALLERY_MEDIA__URL_SIGNING_KEY": "cluster-media-key-0123456789abcdef",
    "GALLERY_BOT__WEBHOOK_SECRET": WEBHOOK_SECRET,
}


def s3_backend_available() -> bool:
    """Whether the app has the S3 media store yet (media.backend); until then the replicas
    share one local media directory."""
    return "backend" in MediaSettings.model_fields


@dataclass
class Cluster:
    workdir: Path
    database_url: str
    media: str  # "s3" or "local"
    caddy: Service
    sandbox: Service
    replicas: list[Service] = field(default_factory=list)
    started_at: float = field(default_factory=time.time)  # before the first replica started

    @property
    def public_url(self) -> str:
        return f"https://127.0.0.1:{self.caddy.port}"

    @property
    def sandbox_url(self) -> str:
        return f"http://127.0.0.1:{self.sandbox.port}"

    @property
    def root_cert(self) -> Path:
        return root_certificate(self.workdir / "caddy" / "storage")

    def tls(self) -> ssl.SSLContext:
        """Trusts Caddy's internal root, as the sandbox does."""
        return ssl.create_default_context(cafile=str(self.root_cert))

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replicas[index].port}"

    @property
    def services(self) -> list[Service]:
        return [self.caddy, self.sandbox, *self.replicas]


def answers_200(url: str, context: ssl.SSLContext | None = None) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2, context=context) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def base_environment() -> dict[str, str]:
    """This interpreter's environment without any GALLERY_ setting of the person running it."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}


def sandbox_service(workdir: Path, caddy_port: int, root_cert: Path) -> Service:
    port = free_port()
    argv = [
        sys.executable, "-m", "sandbox", "--port", str(port),
        "--webapp-url", f"https://127.0.0.1:{caddy_port}/app",
        "--ca-file", str(root_cert), "--any-https-port",
        # MAX waits 60 s before redelivering; a second keeps the test short
        "--retry-base-s", "1",
    ]  # fmt: skip
    return Service("sandbox", argv, base_environment(), workdir / "sandbox.log", port)


def replica_environment(cluster: Cluster, port: int, media: dict[str, str]) -> dict[str, str]:
    return {
        **base_environment(),
        **SHARED_SECRETS,
        **media,
        "GALLERY_SERVER__HOST": "127.0.0.1",
        "GALLERY_SERVER__PORT": str(port),
        "GALLERY_SERVER__PUBLIC_URL": cluster.public_url,
        "GALLERY_SERVER__SHUTDOWN_TIMEOUT_S": "3",
        "GALLERY_DATABASE__URL": cluster.database_url,
        "GALLERY_DATABASE__POOL_MAX": "8",
        "GALLERY_BOT__TOKEN": SANDBOX_TOKEN,
        "GALLERY_BOT__API_BASE_URL": cluster.sandbox_url,
        "GALLERY_SANDBOX__MODE": "off",
        "GALLERY_MEDIA__ALLOW_NEAR_DUPLICATES": "true",
        "GALLERY_JOBS__OUTBOX_POLL_S": "1",
        # traffic.py favours and unfavours an object fifty times a second to have writes in
        # flight at the kill: a load generator, not a person, far past the abuse limit
        "GALLERY_LIMITS__FAVORITE": '{"person": 1000000, "address": 1000000}',
    }


def replica_service(cluster: Cluster, index: int, port: int, media: dict[str, str]) -> Service:
    workdir = cluster.workdir / f"replica{index}"
    workdir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "gallery", "run", "--port", str(port)]
    env = replica_environment(cluster, port, media)
    return Service(f"replica{index}", argv, env, cluster.workdir / f"replica{index}.log", port,
                   cwd=workdir)  # fmt: skip


def wait_replica_ready(cluster: Cluster, index: int, timeout_s: float = 60.0) -> None:
    url = f"{cluster.replica_url(index)}/ready"
    cluster.replicas[index].wait_until(lambda: answers_200(url), timeout_s)


def start_front(
    workdir: Path, caddy_binary: str, started: list[Service]
) -> tuple[Service, Service, list[int]]:
    """Caddy (its CA made as it starts), then the sandbox trusting that CA."""
    replica_ports = [free_port() for _ in range(REPLICAS)]
    caddy = caddy_service(caddy_binary, workdir / "caddy", free_port(), replica_ports)
    started.append(caddy)
    caddy.start()
    root = root_certificate(workdir / "caddy" / "storage")
    caddy.wait_until(lambda: root.exists() and listening(caddy.port))
    sandbox = sandbox_service(workdir, caddy.port, root)
    started.append(sandbox)
    sandbox.start()
    sandbox.wait_listening()
    return caddy, sandbox, replica_ports


def start_cluster(workdir: Path, database_url: str, media: dict[str, str], caddy_binary: str,
                  started: list[Service]) -> Cluster:
    """Start everything; `started` lists each process as it starts, for the caller to stop."""
    caddy, sandbox, replica_ports = start_front(workdir, caddy_binary, started)
    kind = "s3" if media.get("GALLERY_MEDIA__BACKEND") == "s3" else "local"
    cluster = Cluster(workdir, database_url, kind, caddy, sandbox)
    for index, port in enumerate(replica_ports):
        replica = replica_service(cluster, index, port, media)
        cluster.replicas.append(replica)
        started.append(replica)
        replica.start()
    for index in range(REPLICAS):
        wait_replica_ready(cluster, index)
    caddy.wait_until(lambda: answers_200(f"{cluster.public_url}/ready", cluster.tls()))
    return cluster
