from pathlib import Path

from pydantic import BaseModel, Field


class SandboxConfig(BaseModel):
    """Knobs of the local MAX emulator; defaults are the real platform's numbers."""

    token: str = "sandbox-token"  # noqa: S105 - a local emulator's well-known token
    bot_user_id: int = 229229229
    bot_username: str = "gallery_sandbox_bot"
    bot_first_name: str = "Gallery"
    webapp_url: str = "http://127.0.0.1:8080/app"
    # docs/max-platform.md, Receiving updates: webhook: 200 within 30 s; retries 60 s × 2.5ⁿ, ≤10;
    # unsubscribe after 8 h.
    webhook_timeout_s: float = 30.0
    retry_base_s: float = 60.0
    retry_factor: float = 2.5
    max_retries: int = 10
    unsubscribe_after_s: float = 8 * 3600.0
    # docs/max-platform.md, Rate limits: 30 requests/s per bot, 2 sends/edits/answers/s per chat.
    rate_per_bot: int = 30
    rate_per_chat: int = 2
    # Real MAX requires https on port 443; loopback http is allowed here for local runs.
    allow_http_webhooks: bool = True
    # An allowance real MAX does not make: https on another port, for a local TLS proxy that
    # cannot bind 443 without root (tests/cluster puts Caddy on a free high port).
    allow_any_https_port: bool = False
    # A PEM file of extra roots to trust when delivering webhooks over https, such as a local
    # proxy's own CA; None trusts the system's roots only, as MAX does.
    ca_file: Path | None = None
    long_poll_max_s: int = 90
    # Images ≤50 MB (docs/max-platform.md, Uploading media); one cap for every upload kind here.
    media_max_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    start_payload_max: int = 128
    start_param_max: int = 512
    # Where made-up users' ids start. A sandbox beside a database that outlives it (python -m
    # gallery) starts elsewhere on each run, so a new "user" never inherits an old one's rows.
    first_user_id: int = 100_000_001
    first_chat_id: int = 9_100_000_001
