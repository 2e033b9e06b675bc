"""One settings object: config.toml (committed, no secrets) overridden by the environment.

Environment names are ``GALLERY_<SECTION>__<KEY>``, e.g. ``GALLERY_DATABASE__URL``.
Secrets (bot token, webhook secret, signing keys, the object store's keys) are read only from
the environment.
Reading the file and the checks at start-up are in config/loading.py.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from config.account import AccountSettings
from config.limits import LimitsSettings
from config.moderation import ModerationSettings
from config.telemetry import LogSettings, MetricsSettings

ENV_PREFIX = "GALLERY_"
# The built-in sandbox's token, well known on purpose: it only ever guards a local emulator.
SANDBOX_TOKEN = "sandbox-token"  # noqa: S105


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    public_url: str = ""
    shutdown_timeout_s: float = Field(10.0, gt=0)
    access_log: bool = True
    # an API request still unanswered after this is answered 503, whatever it waited for
    request_budget_s: float = Field(30.0, gt=0, le=300)

    @field_validator("public_url")
    @classmethod
    def _https_or_empty(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be empty or an absolute http(s) URL")
        return value.rstrip("/")


class DatabaseSettings(Section):
    url: str = ""
    embedded_dir: Path = Path("data/postgres")
    pool_min: int = Field(2, ge=1)
    pool_max: int = Field(10, ge=1)
    command_timeout_s: float = Field(10.0, gt=0)
    connect_timeout_s: float = Field(10.0, gt=0)

    @field_validator("url")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        if value and not value.startswith(("postgres://", "postgresql://")):
            raise ValueError("must start with postgresql:// (or be empty for embedded PostgreSQL)")
        return value


class BotSettings(Section):
    token: SecretStr = SecretStr("")
    webhook_secret: SecretStr = SecretStr("")
    api_base_url: str = "https://platform-api2.max.ru"
    ca_bundle: str = ""
    webhook_path: str = "/max/webhook"
    webhook_max_body_bytes: int = Field(1_048_576, ge=1024)
    handler_budget_s: float = Field(10.0, gt=0, le=25)
    long_poll_timeout_s: int = Field(30, ge=0, le=90)
    request_timeout_s: float = Field(15.0, gt=0)

    @field_validator("webhook_path")
    @classmethod
    def _absolute_path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("must start with /")
        return value


class SandboxSettings(Section):
    mode: Literal["auto", "on", "off"] = "auto"
    host: str = "127.0.0.1"
    port: int = Field(8081, ge=0, le=65535)
    # the sandbox signs anyone in as anyone, with keys derived from a public string: beyond
    # loopback only when this says so (and then with a loud warning at start)
    allow_public: bool = False


# where MAX's web client runs; it hosts mini-apps in a frame (the phone and desktop apps open
# them in a web view, not a frame)
MAX_WEB_CLIENT = "https://web.max.ru"
# a CSP source: an https origin (a leading *. for subdomains), or 'self' / 'none'
_FRAME_SOURCE = re.compile(r"https://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?|'self'|'none'")


class WebappSettings(Section):
    # who may show the mini-app in a frame
    frame_ancestors: tuple[str, ...] = (MAX_WEB_CLIENT,)

    @field_validator("frame_ancestors")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for source in value:
            if not _FRAME_SOURCE.fullmatch(source):
                raise ValueError(f"{source!r} is not an https origin, 'self' or 'none'")
        return value


class MediaSettings(Section):
    url_signing_key: SecretStr = SecretStr("")
    # where photo files live: a directory here, or an S3-compatible bucket (config/loading.py
    # check_media says what each needs)
    backend: Literal["local", "s3"] = "local"
    root: Path = Path("data/media")
    # how /media/ URLs reach a browser from the bucket: streamed through the app, or a redirect
    # to a presigned URL of the store (the local backend always sends the file itself)
    serve: Literal["stream", "redirect"] = "stream"
    s3_endpoint: str = ""
    s3_public_endpoint: str = ""
    s3_bucket: str = Field("", pattern=r"^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")  # S3's rule
    s3_region: str = "us-east-1"
    s3_path_style: bool = True
    s3_timeout_s: float = Field(30.0, gt=0, le=600)
    s3_access_key_id: SecretStr = SecretStr("")
    s3_secret_access_key: SecretStr = SecretStr("")
    max_bytes: int = Field(20_000_000, ge=1024)
    # an upload with no bytes for upload_idle_s, or not all in within upload_deadline_s, is
    # refused (408): a stalled one otherwise held its connection and memory for ever
    upload_idle_s: float = Field(60.0, gt=0, le=600)
    upload_deadline_s: float = Field(900.0, gt=0, le=3600)
    max_pixels: int = Field(50_000_000, ge=10_000)
    near_duplicate_distance: int = Field(4, ge=0, le=64)
    allow_near_duplicates: bool = False
    url_ttl_s: int = Field(3600, ge=60)

    @field_validator("s3_endpoint", "s3_public_endpoint")
    @classmethod
    def _endpoint(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^/?#@\s]+/?", value):
            raise ValueError("must be empty or an http(s) origin, e.g. https://s3.example.org")
        return value.rstrip("/")


class AuthSettings(Section):
    jwt_secret: SecretStr = SecretStr("")
    access_ttl_s: int = Field(900, ge=60)
    refresh_ttl_s: int = Field(30 * 86400, ge=3600)
    init_data_max_age_s: int = Field(3600, ge=60)
    clock_skew_s: int = Field(30, ge=0, le=600)
    # how long a process trusts what it read about a login: a logout or a revoked login
    # elsewhere ends its access tokens within this bound (0: read it on every request)
    session_recheck_s: float = Field(5.0, ge=0, le=60)


class RulesSettings(Section):
    trade_ttl_hours: int = Field(72, ge=1)
    max_open_trades: int = Field(20, ge=1)
    transfer_ttl_minutes: int = Field(10, ge=1, le=1440)
    profile_request_ttl_days: int = Field(7, ge=1)
    hold_hours: int = Field(24, ge=0, le=24 * 30)  # docs/holds.md; 0: no holds


class JobsSettings(Section):
    outbox_max_attempts: int = Field(8, ge=1)
    outbox_poll_s: float = Field(5.0, gt=0)
    processed_updates_keep_days: int = Field(3, ge=1)
    orphan_sweep_minutes: int = Field(60, ge=1)
    # a job's round still running after this is cancelled (and counted as failed)
    round_deadline_minutes: int = Field(30, ge=1, le=24 * 60)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )
    # the parsed config file, set on the subclass load_settings makes; none for Settings()
    file_values: ClassVar[Mapping[str, Any]] = MappingProxyType({})

    server: ServerSettings = ServerSettings()
    database: DatabaseSettings = DatabaseSettings()
    bot: BotSettings = BotSettings()
    sandbox: SandboxSettings = SandboxSettings()
    webapp: WebappSettings = WebappSettings()
    media: MediaSettings = MediaSettings()
    auth: AuthSettings = AuthSettings()
    rules: RulesSettings = RulesSettings()
    jobs: JobsSettings = JobsSettings()
    log: LogSettings = LogSettings()
    limits: LimitsSettings = LimitsSettings()
    metrics: MetricsSettings = MetricsSettings()
    moderation: ModerationSettings = ModerationSettings()
    account: AccountSettings = AccountSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # config.toml, already read and checked by load_settings, ranks below the environment
        from_file = InitSettingsSource(settings_cls, init_kwargs=dict(cls.file_values))
        return (init_settings, env_settings, from_file)

    @property
    def bot_token(self) -> str:
        """The token MAX (or the built-in sandbox, when it runs) knows this bot by: it signs the
        mini-app's launch data and authenticates every Bot API call."""
        return self.bot.token.get_secret_value() or SANDBOX_TOKEN

    @property
    def uses_sandbox(self) -> bool:
        if self.sandbox.mode == "auto":
            return not self.bot.token.get_secret_value()
        return self.sandbox.mode == "on"

    def derived_key(self, purpose: str) -> bytes:
        """A stable per-deployment key for `purpose` when no explicit one is configured.

        Derived from the bot token (HMAC with a label), so replicas sharing a token agree and
        nothing secret needs to be committed.
        """
        explicit = {
            "jwt": self.auth.jwt_secret,
            "media": self.media.url_signing_key,
            "webhook": self.bot.webhook_secret,
        }[purpose]
        if explicit.get_secret_value():
            return explicit.get_secret_value().encode()
        return hmac.new(
            self.bot_token.encode(), f"gallery:{purpose}".encode(), hashlib.sha256
        ).digest()

    @property
    def webhook_secret(self) -> str:
        """The secret MAX sends in X-Max-Bot-Api-Secret: configured, or derived (MAX's alphabet)."""
        configured = self.bot.webhook_secret.get_secret_value()
        if configured:
            return configured
        return base64.urlsafe_b64encode(self.derived_key("webhook")).decode().rstrip("=")
