"""[limits]: abuse limits per person and per client address, the storage quota, trusted proxies.

Each rate is requests per minute (0: no limit for that subject). What each rule covers and how it
is counted is in docs/security.md, "Abuse limits".
"""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Rate(BaseModel):
    """One rule's ceilings per minute: for the person (the token's user) and for the client
    address (an IPv6 address counts by its /64, what one subscriber is usually given)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    person: int = Field(ge=0)
    address: int = Field(ge=0)


class LimitsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # proxies whose X-Forwarded-For is believed (networks); from anyone else the header is ignored
    trusted_proxies: tuple[str, ...] = ()
    auth: Rate = Rate(person=20, address=120)
    upload: Rate = Rate(person=20, address=120)
    uploads_per_day: int = Field(500, ge=0)
    upload_bytes_per_day: int = Field(2_000_000_000, ge=0)
    search: Rate = Rate(person=120, address=600)
    trade: Rate = Rate(person=20, address=120)
    transfer: Rate = Rate(person=20, address=120)
    profile_request: Rate = Rate(person=20, address=120)
    favorite: Rate = Rate(person=120, address=600)
    report: Rate = Rate(person=10, address=60)
    notification_settings: Rate = Rate(person=60, address=300)
    account: Rate = Rate(person=10, address=60)
    card: Rate = Rate(person=60, address=300)
    chat_photos_per_minute: int = Field(30, ge=0)
    chat_commands_per_minute: int = Field(60, ge=0)
    quota_objects: int = Field(10_000, ge=0)
    quota_bytes: int = Field(20_000_000_000, ge=0)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for network in value:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise ValueError(f"{network!r} is not a network (e.g. 10.0.0.0/8)") from None
        return value
