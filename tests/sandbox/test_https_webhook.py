"""Webhooks over https: port 443 as MAX demands unless the sandbox allows another, and delivery
that trusts a local proxy's CA only when given its root (tests/cluster puts Caddy there)."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from sandbox.config import SandboxConfig
from sandbox.runner import RunningSandbox, run_sandbox
from tests.sandbox.conftest import WebhookReceiver, eventually

OPENSSL = "/usr/bin/openssl"


def make_ca_and_server_cert(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway root CA and a certificate for 127.0.0.1 signed by it: (root, cert, key)."""
    root, root_key = directory / "root.crt", directory / "root.key"
    cert, key, csr = directory / "server.crt", directory / "server.key", directory / "server.csr"
    san = directory / "san.ext"
    san.write_text("subjectAltName = IP:127.0.0.1\n")
    for command in (
        ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", root_key, "-out", root, "-days", "1", "-subj", "/CN=test root"],
        ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", csr, "-CA", root, "-CAkey", root_key, "-CAcreateserial",
         "-out", cert, "-days", "1", "-extfile", san],
    ):  # fmt: skip
        subprocess.run([OPENSSL, *map(str, command)], check=True, capture_output=True)
    return root, cert, key


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    if not Path(OPENSSL).exists():
        pytest.skip("needs the openssl command to make a test CA")
    return make_ca_and_server_cert(tmp_path)


@pytest.fixture
async def https_receiver(tls_files: tuple[Path, Path, Path]) -> AsyncIterator[WebhookReceiver]:
    _, cert, key = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    hook = WebhookReceiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    hook.url = f"https://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield hook
    await runner.cleanup()


def config(**changes: object) -> SandboxConfig:
    base = SandboxConfig(retry_base_s=0.05, retry_factor=1.0, max_retries=1,
                         webhook_timeout_s=2.0)
    return base.model_copy(update=changes)


async def subscribe(sandbox: RunningSandbox, url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=sandbox.base_url,
                                 headers={"Authorization": sandbox.token}) as api:
        return await api.post("/subscriptions", json={"url": url})


async def test_https_on_another_port_is_refused_by_default() -> None:
    async with run_sandbox(config()) as sandbox:
        refused = await subscribe(sandbox, "https://bot.example:8443/hook")
        assert (refused.status_code, refused.json()) == (
            400, {"code": "proto.payload", "message": "Field 'url' must use port 443"})
        assert (await subscribe(sandbox, "https://bot.example:443/hook")).status_code == 200


async def test_delivery_trusts_the_given_root_on_an_allowed_port(
    tls_files: tuple[Path, Path, Path], https_receiver: WebhookReceiver
) -> None:
    root, _, _ = tls_files
    async with run_sandbox(config(allow_any_https_port=True, ca_file=root)) as sandbox:
        assert (await subscribe(sandbox, https_receiver.url)).json() == {"success": True}
        user = await sandbox.control.create_user("Anna")
        await sandbox.control.send_text(user["user"]["user_id"], "over tls")
        await https_receiver.wait_for(1)
        assert https_receiver.received[0][1]["message"]["body"]["text"] == "over tls"
        deliveries = await sandbox.control.webhook_deliveries()
        assert [(d["status"], d["error"]) for d in deliveries] == [(200, None)]


async def test_delivery_refuses_a_certificate_from_an_unknown_root(
    https_receiver: WebhookReceiver,
) -> None:
    async with run_sandbox(config(allow_any_https_port=True)) as sandbox:
        assert (await subscribe(sandbox, https_receiver.url)).json() == {"success": True}
        user = await sandbox.control.create_user("Anna")
        await sandbox.control.send_text(user["user"]["user_id"], "not trusted")

        async def two_attempts() -> bool:
            return len(await sandbox.control.webhook_deliveries()) >= 2

        await eventually(two_attempts)
        deliveries = await sandbox.control.webhook_deliveries()
        assert https_receiver.received == []
        assert all(d["status"] is None for d in deliveries)
        assert all("certificate verify failed" in d["error"] for d in deliveries)
