"""[account]: data exports and account deletion (docs/account-deletion.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AccountSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # one export per person per this many minutes (0: no limit)
    export_every_minutes: int = Field(60, ge=0)
    # the largest zip built; a collection past it is refused when asked for
    export_max_bytes: int = Field(200_000_000, ge=1024)
    # the largest zip sent as a chat file; a larger one is offered as a mini-app download only
    export_chat_max_bytes: int = Field(50_000_000, ge=1024)
    export_keep_hours: int = Field(24, ge=1)  # a finished export is deleted after this
    export_link_ttl_s: int = Field(600, ge=30)  # a signed download link works this long
    export_poll_s: float = Field(10.0, gt=0)  # how often builders look for queued exports
    export_lease_minutes: int = Field(15, ge=1)  # a build taking longer is taken again
    delete_confirm_minutes: int = Field(10, ge=1, le=60)  # a deletion token's life
