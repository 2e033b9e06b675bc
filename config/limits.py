"""[limits]: abuse limits per person and per client address, the storage quota, trusted proxies."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class LimitsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
