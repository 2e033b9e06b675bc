"""The cluster, started once for the module and stopped whatever happens; every process's log
is printed when a test here fails."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.cluster.caddy import caddy_binary
from tests.cluster.processes import Service, stop_all
from tests.cluster.stack import Cluster, s3_backend_available, start_cluster
from tests.dbserver import create_database, drop_database


def media_environment(stack: ExitStack, workdir: Path) -> dict[str, str]:
    """A real S3 server (SeaweedFS) when the app has the S3 store, else one shared directory."""
    if not s3_backend_available():
        return {"GALLERY_MEDIA__ROOT": str(workdir / "media")}
    from tests.s3server import seaweed

    server = stack.enter_context(seaweed(workdir / "seaweed"))
    return server.environment()


@pytest.fixture(scope="module")
def cluster(postgres_url: str) -> Iterator[Cluster]:
    binary = caddy_binary()
    if binary is None:
        pytest.skip("the cluster test needs Caddy (Debian package caddy)")
    workdir = Path(tempfile.mkdtemp(prefix="gallery-cluster-"))
    started: list[Service] = []
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        media = media_environment(stack, workdir)
        database_url = create_database(postgres_url, prefix="gallery_cluster")
        stack.callback(drop_database, database_url)
        stack.callback(stop_all, started)
        try:
            yield start_cluster(workdir, database_url, media, binary, started)
        except BaseException:
            print_logs(started)
            raise


def print_logs(services: list[Service]) -> None:
    for service in services:
        print(f"\n===== {service.name} ({service.log_path}) =====\n{service.log_tail(80)}")  # noqa: T201


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed test's report carries the tail of every process's log."""
    report = yield
    running = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and isinstance(running, Cluster):
        for service in running.services:
            report.sections.append((f"log of {service.name}", service.log_tail(80)))
    return report
