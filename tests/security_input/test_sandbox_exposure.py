"""Sandbox mode signs anyone in as anyone with keys derived from a public string, so it listens
on loopback only: any other address stops the start (exit 2, `error: <key>: <reason>`) unless
sandbox.allow_public says so, and then the start warns loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.loading import SettingsError, check_sandbox_exposure, load_settings
from config.settings import Settings

REPO = Path(__file__).resolve().parents[2]
REFUSAL = "sandbox mode (no bot token) listens on loopback only, not '{}'"
ANY = "0.0.0.0"  # noqa: S104 - the address under test


def gallery(config: Path, *args: str, token: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
    if token:
        env["GALLERY_BOT__TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "gallery", "--config", str(config), *args],
        capture_output=True, text=True, timeout=60, cwd=REPO, env=env,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "key", "host"),
    [
        ('[server]\nhost = "0.0.0.0"\n', "server.host", ANY),
        ('[server]\nhost = "::"\n', "server.host", "::"),
        ('[server]\nhost = "192.0.2.10"\n', "server.host", "192.0.2.10"),
        ('[server]\nhost = "gallery.example.org"\n', "server.host", "gallery.example.org"),
        ('[sandbox]\nhost = "0.0.0.0"\n', "sandbox.host", ANY),
        ('[sandbox]\nmode = "on"\nhost = "10.0.0.5"\n', "sandbox.host", "10.0.0.5"),
    ],
)
def test_sandbox_mode_beyond_loopback_is_refused_naming_the_key(
    tmp_path: Path, content: str, key: str, host: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    with pytest.raises(SettingsError) as caught:
        check_sandbox_exposure(load_settings(config))
    assert str(caught.value).startswith(f"{key}: {REFUSAL.format(host)}")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_addresses_are_fine(host: str) -> None:
    assert check_sandbox_exposure(Settings(server={"host": host}, sandbox={"host": host})) is False


def test_with_a_bot_token_there_is_no_sandbox_to_expose() -> None:
    settings = Settings(server={"host": ANY}, bot={"token": "123:real"})
    assert check_sandbox_exposure(settings) is False


def test_allow_public_lets_it_start_and_says_it_is_exposed() -> None:
    settings = Settings(server={"host": ANY}, sandbox={"allow_public": True})
    assert check_sandbox_exposure(settings) is True


def test_the_cli_refuses_to_run_without_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[server]\nhost = "0.0.0.0"\n')
    result = gallery(config, "run")

    assert result.returncode == 2
    assert result.stderr.startswith(f"error: server.host: {REFUSAL.format(ANY)}")
    assert "GALLERY_BOT__TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_cli_refuses_a_public_host_given_on_the_command_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("")
    result = gallery(config, "run", "--host", ANY)

    assert result.returncode == 2
    assert result.stderr.startswith(f"error: server.host: {REFUSAL.format(ANY)}")


def test_check_says_so_too_and_a_token_makes_it_fine(database_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[server]\nhost = "0.0.0.0"\n[database]\nurl = "{database_url}"\n')

    assert gallery(config, "check").returncode == 2
    with_token = gallery(config, "check", token="123:real")
    assert with_token.returncode == 0, with_token.stderr


def test_allow_public_warns_loudly(database_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[server]\nhost = "0.0.0.0"\n[database]\nurl = "{database_url}"\n'
        "[sandbox]\nallow_public = true\n"
    )
    result = gallery(config, "check")

    assert result.returncode == 0, result.stderr
    assert "SANDBOX MODE ON A PUBLIC INTERFACE" in result.stderr
    assert "sign anyone in as anyone" in result.stderr
