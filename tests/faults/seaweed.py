"""A SeaweedFS (tests/s3server.py) the test stops and starts again: the same command line, so the
same data directory and the same ports, with its bucket and objects as they were."""

from __future__ import annotations

import asyncio
import dataclasses
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


def media_store(server: SeaweedServer) -> S3MediaStore:
    return S3MediaStore.from_settings(MediaSettings.model_validate(server.media_settings()))


def s3_port(server: SeaweedServer) -> int:
    return int(server.endpoint.rsplit(":", 1)[1])


def restarted(server: SeaweedServer) -> SeaweedServer:
    """Launch the stopped server again and wait until it takes a write. Blocking."""
    log = (server.data_dir / "weed.log").open("ab")
    with closing(log):
        process = subprocess.Popen(
            [*cast(list[str], server.process.args), *RESTART_FLAGS],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    again = dataclasses.replace(server, process=process)
    try:
        _wait_until_writable(again)
    except BaseException:
        again.stop()
        raise
    return again


def _wait_until_writable(server: SeaweedServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (listening(s3_port(server)) and asyncio.run(_takes_a_write(server))):
        if server.process.poll() is not None:
            raise RuntimeError(f"weed exited with {server.process.returncode}; see its log")
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
