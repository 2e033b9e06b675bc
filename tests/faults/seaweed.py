"""A SeaweedFS (tests/s3server.py) the test stops and starts again: the same command line, so the
same data directory and the same ports, with its bucket and objects as they were."""

from __future__ import annotations

import asyncio
import dataclasses
import re
import socket
import subprocess
import time
from contextlib import closing
from typing import cast

from config.settings import MediaSettings
from storage.media import MediaUnavailable, S3MediaStore
from tests.cluster.processes import listening
from tests.s3server import SeaweedServer

START_TIMEOUT_S = 60.0
PROBE_KEY = "_probe/restart"
# a master restarted on its raft state waits out an election timeout (10 s by default) before it
# leads, and the filer and the S3 API wait for it
RESTART_FLAGS = ["-master.electionTimeout=1s"]
LAUNCH_TRIES = 3
PORTS_TIMEOUT_S = 15.0


def media_store(server: SeaweedServer) -> S3MediaStore:
    return S3MediaStore.from_settings(MediaSettings.model_validate(server.media_settings()))


def s3_port(server: SeaweedServer) -> int:
    return int(server.endpoint.rsplit(":", 1)[1])


def restarted(server: SeaweedServer) -> SeaweedServer:
    """Launch the stopped server again and wait until it takes a write. Blocking.

    Its gRPC ports (its ports + 10000) lie in Linux's ephemeral range: while it was down, an
    outgoing connection of this machine may have been given one. Wait for its ports to be
    free, and launch again if it exits because one was taken in between."""
    for _ in range(LAUNCH_TRIES):
        _wait_until_free(_ports(server))
        again = dataclasses.replace(server, process=_launch(server))
        try:
            _wait_until_writable(again)
        except WeedExited:
            continue
        except BaseException:
            again.stop()
            raise
        return again
    raise RuntimeError(f"weed exited {LAUNCH_TRIES} times as it restarted; see its log")


class WeedExited(RuntimeError):
    pass


def _launch(server: SeaweedServer) -> subprocess.Popen[bytes]:
    log = (server.data_dir / "weed.log").open("ab")
    with closing(log):
        return subprocess.Popen(
            [*_argv(server), *RESTART_FLAGS],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def _argv(server: SeaweedServer) -> list[str]:
    return [arg for arg in cast(list[str], server.process.args) if arg not in RESTART_FLAGS]


def _ports(server: SeaweedServer) -> list[int]:
    """Every port on its command line: `-s3.port=…`, `-filer.port.grpc=…`, ..."""
    ports = [re.fullmatch(r"-\w+\.port(?:\.grpc)?=(\d+)", arg) for arg in _argv(server)]
    return [int(match[1]) for match in ports if match and match[1] != "0"]


def _wait_until_free(ports: list[int]) -> None:
    deadline = time.monotonic() + PORTS_TIMEOUT_S
    while taken := [port for port in ports if not _is_free(port)]:
        if time.monotonic() > deadline:
            raise RuntimeError(f"ports {taken} still taken {PORTS_TIMEOUT_S:.0f} s after the stop")
        time.sleep(0.2)


def _is_free(port: int) -> bool:
    """Free as a server binds it (SO_REUSEADDR, as weed does): its own old connections left in
    TIME_WAIT do not count, a live connection or listener does."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_until_writable(server: SeaweedServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (listening(s3_port(server)) and asyncio.run(_takes_a_write(server))):
        if server.process.poll() is not None:
            raise WeedExited(f"weed exited with {server.process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"weed not writable {START_TIMEOUT_S:.0f} s after its restart")
        time.sleep(0.2)


async def _takes_a_write(server: SeaweedServer) -> bool:
    """A volume server may still be joining the master: the first writes can fail."""
    store = media_store(server)
    try:
        await store.put(PROBE_KEY, b"ok", "text/plain")
        await store.delete([PROBE_KEY])
    except MediaUnavailable:
        return False
    return True


@dataclasses.dataclass
class RestartableSeaweed:
    """The server as it runs now: restarting replaces the process behind it."""

    server: SeaweedServer

    def stop(self) -> None:
        self.server.stop()

    def restart(self) -> None:
        self.server = restarted(self.server)
