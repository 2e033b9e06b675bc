import argparse
import asyncio
import contextlib

from sandbox.config import SandboxConfig
from sandbox.runner import run_sandbox


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox",
                                     description="Local emulator of the MAX Bot API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=SandboxConfig().token)
    parser.add_argument("--webapp-url", default=SandboxConfig().webapp_url)
    return parser.parse_args()


async def serve_forever(config: SandboxConfig, host: str, port: int) -> None:
    async with run_sandbox(config, host, port) as sandbox:
        print(f"MAX sandbox listening on {sandbox.base_url}", flush=True)
        print(f"token: {sandbox.token}", flush=True)
        print(f"developer chat: {sandbox.base_url}/_sandbox/", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    args = parse_args()
    config = SandboxConfig(token=args.token, webapp_url=args.webapp_url)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(config, args.host, args.port))


if __name__ == "__main__":
    main()
