"""[log] and [metrics]: how the service tells an operator what it is doing."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator


class LogSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # "json": one JSON object per line (time, level, logger, request_id, message) for a log
    # collector; "text" for a person reading a terminal
    format: Literal["text", "json"] = "text"


class MetricsSettings(BaseModel):
    """Who may read /metrics (networks, or a bearer token from the environment)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_networks: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
    # GALLERY_METRICS__TOKEN: `Authorization: Bearer <token>` opens /metrics from anywhere; empty,
    # only allow_networks may read it. A secret, so never in config.toml (config/loading.py).
    token: SecretStr = SecretStr("")

    @field_validator("allow_networks")
    @classmethod
    def _are_networks(cls, networks: tuple[str, ...]) -> tuple[str, ...]:
        for network in networks:
            ipaddress.ip_network(network, strict=False)  # ValueError names the bad one
        return networks
