from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiohttp import web

from sandbox.app import SANDBOX_STATE, create_sandbox_app
from sandbox.config import SandboxConfig
from sandbox.control import SandboxControl
from sandbox.state import SandboxState


@dataclass
class RunningSandbox:
    base_url: str
    token: str
    state: SandboxState
    control: SandboxControl
    app: web.Application


def bound_port(runner: web.AppRunner) -> int:
    port: int = runner.addresses[0][1]
    return port


@asynccontextmanager
async def run_sandbox(
    config: SandboxConfig, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningSandbox]:
    app = create_sandbox_app(config)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
        base_url = f"http://{host}:{bound_port(runner)}"
        state = app[SANDBOX_STATE]
        state.base_url = base_url
        control = SandboxControl(base_url)
        try:
            yield RunningSandbox(base_url, config.token, state, control, app)
        finally:
            await control.close()
    finally:
        await runner.cleanup()
