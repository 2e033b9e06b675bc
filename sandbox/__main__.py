import argparse
import asyncio
import contextlib
from pathlib import Path

from sandbox.config import SandboxConfig
from sandbox.runner import run_sandbox


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox",
                                     description="Local emulator of the MAX Bot API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=SandboxConfig().token)
    parser.add_argument("--webapp-url", default=SandboxConfig().webapp_url)
    parser.add_argument("--ca-file", type=Path, default=None,
                        help="PEM roots to trust, beside the system's, when delivering webhooks "
                             "over https (a local TLS proxy's CA)")
    parser.add_argument("--any-https-port", action="store_true",
                        help="accept an https webhook on a port other than 443 (MAX does not)")
    parser.add_argument("--retry-base-s", type=float, default=SandboxConfig().retry_base_s,
                        help="first webhook redelivery after this long (MAX: 60 s)")
    return parser.parse_args()


def config_from(args: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(token=args.token, webapp_url=args.webapp_url, ca_file=args.ca_file,
                         allow_any_https_port=args.any_https_port,
                         retry_base_s=args.retry_base_s)


async def serve_forever(config: SandboxConfig, host: str, port: int) -> None:
    async with run_sandbox(config, host, port) as sandbox:
        print(f"MAX sandbox listening on {sandbox.base_url}", flush=True)
        print(f"token: {sandbox.token}", flush=True)
        print(f"developer chat: {sandbox.base_url}/_sandbox/", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    args = parse_args()
    config = config_from(args)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_forever(config, args.host, args.port))


if __name__ == "__main__":
    main()
