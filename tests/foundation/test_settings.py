from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from aiohttp.test_utils import unused_port

from config.loading import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[2]


def test_committed_config_loads_and_equals_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from config.settings import Settings

    monkeypatch.chdir(REPO)
    assert load_settings().model_dump() == Settings().model_dump()


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[server]\nport = 9000\nhost = "192.0.2.1"\n[media]\nmax_bytes = 5000\n')
    monkeypatch.setenv("GALLERY_SERVER__PORT", "9100")
    settings = load_settings(config)
    assert settings.server.port == 9100  # environment wins
    assert settings.server.host == "192.0.2.1"  # file value kept where the environment is silent
    assert settings.media.max_bytes == 5000
    assert settings.rules.trade_ttl_hours == 72  # default where both are silent


def test_secrets_come_from_the_environment_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[bot]\ntoken = "123:abc"\n')
    with pytest.raises(SettingsError, match=r"\[bot\] token is a secret; set GALLERY_BOT__TOKEN"):
        load_settings(config)
    monkeypatch.setenv("GALLERY_BOT__TOKEN", "from-env")
    settings = load_settings(tmp_path / "absent.toml")
    assert settings.bot.token.get_secret_value() == "from-env"
    assert "from-env" not in repr(settings)
    assert not settings.uses_sandbox


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[server]\nport = 70000\n", "server.port: Input should be less than or equal to 65535"),
        (
            '[database]\nurl = "mysql://x"\n',
            "database.url: Value error, must start with postgresql",
        ),
        ("[media]\nmax_bytes = 'lots'\n", "media.max_bytes: Input should be a valid integer"),
        ("[server]\nprot = 1\n", "server.prot: Extra inputs are not permitted"),
        ("[server\n", "not valid TOML"),
    ],
)
def test_a_bad_value_names_the_key_and_the_reason(
    tmp_path: Path, content: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content)
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert message in str(caught.value)


def test_cli_reports_a_bad_value_without_a_traceback(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[auth]\naccess_ttl_s = -5\n")
    result = subprocess.run(
        [sys.executable, "-m", "gallery", "--config", str(config), "check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 2
    assert "auth.access_ttl_s: Input should be greater than or equal to 60" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_check_and_migrate_against_a_database(database_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{database_url}"\n')
    run = [sys.executable, "-m", "gallery", "--config", str(config)]
    check = subprocess.run([*run, "check"], capture_output=True, text=True, timeout=60, cwd=REPO)
    migrate = subprocess.run(
        [*run, "migrate"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    preview = subprocess.run(
        [*run, "migrate", "--sql"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert check.returncode == 0, check.stderr
    assert "settings ok; PostgreSQL" in check.stdout
    assert migrate.stdout.strip() == "database is up to date"
    assert preview.stdout.strip() == "-- nothing to apply"


def test_cli_check_fails_clearly_when_the_database_is_unreachable(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[database]\nurl = "postgresql://nobody@127.0.0.1:1/none"\nconnect_timeout_s = 2\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "gallery", "--config", str(config), "check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot connect to PostgreSQL")
    assert "Traceback" not in result.stderr


def test_cli_run_serves_and_stops_cleanly_on_sigterm(database_url: str, tmp_path: Path) -> None:
    port = unused_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[server]\nport = {port}\n[database]\nurl = "{database_url}"\n'
        '[sandbox]\nmode = "on"\nport = 0\n'
        f'[media]\nroot = "{tmp_path / "media"}"\n'
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gallery", "--config", str(config), "run"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as ready:
                    assert ready.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, output
    assert "serving on" in output
    assert "stopping" in output
    assert "Traceback" not in output


def test_cli_run_fails_clearly_when_max_is_out_of_reach(database_url: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[server]\nport = {unused_port()}\n[database]\nurl = "{database_url}"\n'
        '[bot]\napi_base_url = "http://127.0.0.1:1"\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "gallery", "--config", str(config), "run"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        env={**os.environ, "GALLERY_BOT__TOKEN": "a-real-looking-token"},
    )
    assert result.returncode == 1
    assert "error: cannot talk to MAX at http://127.0.0.1:1" in result.stderr
    assert "Traceback" not in result.stderr
    assert "RuntimeError" not in result.stderr
