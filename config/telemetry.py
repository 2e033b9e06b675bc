"""[log] and [metrics]: how the service tells an operator what it is doing."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class LogSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class MetricsSettings(BaseModel):
    """Who may read /metrics (networks, or a bearer token from the environment)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_networks: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
