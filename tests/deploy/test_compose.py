"""docker-compose.yml, .env.example and deploy/ agree with each other and with the settings.

Containers cannot run here (no registry is reachable), so this checks what can be checked
without them: every GALLERY_<SECTION>__<KEY> is a real setting and its value passes the
settings' validation, .env.example names exactly the variables used, Caddy proxies to exactly
the app replicas, and the compose and Caddy binaries accept the files when they are installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from config.loading import load_settings
from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
# compose-level names that are not settings: no `__`, so the app ignores them
COMPOSE_ONLY = {"GALLERY_DOMAIN"}
_REFERENCE = re.compile(r"\$\{(?P<name>[A-Za-z0-9_]+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
_SETTING = re.compile(r"GALLERY_(?P<section>[A-Z0-9_]+?)__(?P<key>[A-Z0-9_]+)")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def env_example() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#"))  # fmt: skip
    return {name.strip(): value.strip() for name, value in pairs}


def filled_env() -> dict[str, str]:
    """.env.example as an operator fills it: every empty value set."""
    return {name: value or "Filled-0123456789" for name, value in env_example().items()}


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, enough for this file."""

    def value(match: re.Match[str]) -> str:
        given, op, arg = env.get(match["name"], ""), match["op"] or "", match["arg"] or ""
        if given:
            return given
        if op.endswith("?"):
            raise AssertionError(f"{match['name']} is required: {arg}")
        return arg

    return _REFERENCE.sub(value, text)


def app_services(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = spec["services"]
    return {name: service for name, service in services.items() if name.startswith("app-")}


def setting_field(name: str) -> bool:
    match = _SETTING.fullmatch(name)
    if match is None:
        return False
    section = Settings.model_fields.get(match["section"].lower())
    if section is None or section.annotation is None:
        return False
    return match["key"].lower() in section.annotation.model_fields


def test_every_gallery_variable_is_a_setting() -> None:
    services = compose()["services"].values()
    names = {key for service in services for key in service.get("environment", {})}
    names |= {m["name"] for m in _REFERENCE.finditer(COMPOSE.read_text())} | set(env_example())
    unknown = {n for n in names if n.startswith("GALLERY_") and n not in COMPOSE_ONLY}
    assert {n for n in unknown if not setting_field(n)} == set()


def test_the_replicas_settings_pass_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    env = filled_env()
    for name, service in app_services(compose()).items():
        for key, raw in service["environment"].items():
            monkeypatch.setenv(key, interpolate(str(raw), env))
        settings = load_settings(ROOT / "config.toml")
        assert settings.server.public_url == f"https://{env['GALLERY_DOMAIN']}", name
        assert not settings.uses_sandbox, name


def test_env_example_names_exactly_the_variables_used() -> None:
    used = {m["name"] for m in _REFERENCE.finditer(COMPOSE.read_text())}
    used |= set(re.findall(r"\{\$([A-Z0-9_]+)", CADDYFILE.read_text()))
    assert set(env_example()) == used


def test_caddy_proxies_to_exactly_the_replicas() -> None:
    upstreams = re.search(r"reverse_proxy ([^{]+)\{", CADDYFILE.read_text())
    assert upstreams is not None
    names = {address.split(":")[0] for address in upstreams[1].split()}
    assert names == set(app_services(compose()))
    assert len(names) >= 3


def test_only_caddy_publishes_ports_and_every_server_has_a_healthcheck() -> None:
    services = compose()["services"]
    public = [
        name
        for name, service in services.items()
        if any(not str(port).startswith("127.0.0.1:") for port in service.get("ports", []))
    ]
    assert public == ["caddy"]  # Grafana (monitoring profile) listens on loopback only
    long_running = [name for name, s in services.items() if s.get("restart") != "no"]
    assert [name for name in long_running if "healthcheck" not in services[name]] == ["caddy"]


def test_docker_compose_accepts_the_file_once_filled_in(tmp_path: Path) -> None:
    binary = _binary("docker-compose")
    filled = tmp_path / "filled.env"
    filled.write_text("".join(f"{name}={value}\n" for name, value in filled_env().items()))
    assert _compose_config(binary, filled).returncode == 0


def test_docker_compose_refuses_the_example_until_secrets_are_set() -> None:
    result = _compose_config(_binary("docker-compose"), ENV_EXAMPLE)
    assert result.returncode != 0
    assert "Missing mandatory value" in result.stderr


def test_caddy_accepts_the_caddyfile(tmp_path: Path) -> None:
    result = subprocess.run(
        [_binary("caddy"), "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        env={"GALLERY_DOMAIN": "gallery.example.org", "HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"`{name}` is not installed (Debian package {name}); .ci/run installs it")
    return found


def _compose_config(binary: str, env_file: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "-f", str(COMPOSE), "--env-file", str(env_file), "config", "-q"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
