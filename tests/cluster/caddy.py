"""Caddy (Debian's package) as the TLS-terminating load balancer in front of the replicas, run
without root: its internal CA, a free high port, no admin endpoint, state under a temp dir.

Which requests Caddy retries on another replica (caddy 2.6, reverse_proxy):
- a request whose connection could not be made (the replica is dead, its port closed) is
  retried for any method: nothing reached the replica;
- a request already sent when the replica died is retried only if `lb_retry_match` matches it:
  here GET and HEAD, which change nothing. A POST in flight at that moment gets a 502: the
  replica may have committed it or not, and only the caller can tell (the webhook's sender,
  MAX or the sandbox, delivers it again and the update's idempotency key makes it count once;
  the mini-app shows an error and the person tries again).
Passive health (a failed connection or a 5xx marks a replica down for `fail_duration`) keeps
new requests off a dead replica until the active check (/ready every second) sees it again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cluster.processes import Service

CADDY = "/usr/bin/caddy"

CADDYFILE = """\
{{
	admin off
	auto_https disable_redirects
	skip_install_trust
	local_certs
	default_sni 127.0.0.1
	storage file_system {storage}
	log {{
		output stderr
		level WARN
	}}
}}

https://127.0.0.1:{port} {{
	tls internal
	reverse_proxy {upstreams} {{
		lb_policy round_robin
		lb_try_duration 5s
		lb_try_interval 100ms
		lb_retry_match {{
			method GET HEAD
		}}
		fail_duration 3s
		max_fails 1
		unhealthy_status 5xx
		health_uri /ready
		health_interval 1s
		health_timeout 1s
	}}
}}
"""


def caddy_binary() -> str | None:
    return shutil.which("caddy") or (CADDY if Path(CADDY).exists() else None)


def caddyfile(port: int, upstream_ports: list[int], storage: Path) -> str:
    upstreams = " ".join(f"127.0.0.1:{p}" for p in upstream_ports)
    return CADDYFILE.format(port=port, upstreams=upstreams, storage=storage)


def root_certificate(storage: Path) -> Path:
    """Where `tls internal` keeps the root of its CA, once it has issued the first certificate."""
    return storage / "pki" / "authorities" / "local" / "root.crt"


def caddy_service(binary: str, workdir: Path, port: int, upstream_ports: list[int]) -> Service:
    workdir.mkdir(parents=True, exist_ok=True)
    storage = workdir / "storage"
    config = workdir / "Caddyfile"
    config.write_text(caddyfile(port, upstream_ports, storage))
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(workdir),
        "XDG_CONFIG_HOME": str(workdir / "config"),
        "XDG_DATA_HOME": str(workdir / "data"),
    }
    argv = [binary, "run", "--config", str(config), "--adapter", "caddyfile"]
    return Service("caddy", argv, env, workdir / "caddy.log", port)
