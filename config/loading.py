"""Reading config.toml under the environment, and the checks made on settings at start-up."""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from config.settings import ENV_PREFIX, MediaSettings, Settings

DEFAULT_CONFIG = Path("config.toml")
SECRET_KEYS = {
    ("bot", "token"),
    ("bot", "webhook_secret"),
    ("auth", "jwt_secret"),
    ("media", "url_signing_key"),
    ("media", "s3_access_key_id"),
    ("media", "s3_secret_access_key"),
    ("metrics", "token"),
}


class SettingsError(Exception):
    """A configuration problem, already phrased for the operator."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve to anything


def check_sandbox_exposure(settings: Settings) -> bool:
    """Sandbox mode listens on loopback only: SettingsError naming the key otherwise, unless
    sandbox.allow_public says so. True when the sandbox will be reachable beyond this machine
    (the caller warns, loudly)."""
    if not settings.uses_sandbox:
        return False
    exposed = [(key, host) for key, host in (("server.host", settings.server.host),
                                             ("sandbox.host", settings.sandbox.host))
               if not is_loopback(host)]  # fmt: skip
    if exposed and not settings.sandbox.allow_public:
        key, host = exposed[0]
        raise SettingsError(
            f"{key}: sandbox mode (no bot token) listens on loopback only, not {host!r}: anyone "
            "reaching it could sign in as anyone. Set GALLERY_BOT__TOKEN for a real "
            "deployment, or sandbox.allow_public = true to expose the sandbox anyway"
        )
    return bool(exposed)


def check_media(media: MediaSettings) -> None:
    """An S3 backend names its endpoint and bucket, and has both keys or neither (neither: the
    AWS_* environment or the machine's role supplies them, storage/media/s3.py)."""
    if media.backend != "s3":
        return
    missing = [key for key in ("s3_endpoint", "s3_bucket") if not getattr(media, key)]
    if missing:
        names = " and ".join(f"media.{key}" for key in missing)
        raise SettingsError(f'media.backend = "s3" needs {names}')
    has_id = bool(media.s3_access_key_id.get_secret_value())
    has_secret = bool(media.s3_secret_access_key.get_secret_value())
    if has_id != has_secret:
        given, absent = ("ACCESS_KEY_ID", "SECRET_ACCESS_KEY")[:: 1 if has_id else -1]
        raise SettingsError(
            f"{ENV_PREFIX}MEDIA__S3_{given} is set but {ENV_PREFIX}MEDIA__S3_{absent} is not"
        )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None


def _refuse_secrets_in_file(data: dict[str, Any], path: Path) -> None:
    for section, key in sorted(SECRET_KEYS):
        if key in data.get(section, {}):
            env = f"{ENV_PREFIX}{section.upper()}__{key.upper()}"
            raise SettingsError(f"{path}: [{section}] {key} is a secret; set {env} instead")


def describe_validation_error(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"]) or "settings"
        lines.append(f"{key}: {err['msg']} (got {err.get('input')!r})")
    return "invalid settings:\n  " + "\n  ".join(lines)


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Load config.toml (or `path`) under environment overrides; SettingsError on bad values."""
    path = path or DEFAULT_CONFIG
    data = _read_toml(path)
    _refuse_secrets_in_file(data, path)
    try:
        return _settings_with_file(data)(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None


def _settings_with_file(data: dict[str, Any]) -> type[Settings]:
    """Settings whose lowest-ranking source is `data` (the parsed config file)."""
    return type("FileSettings", (Settings,), {"file_values": MappingProxyType(data)})
