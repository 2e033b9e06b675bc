"""[moderation]: who the operators are (MAX user ids) and how reports reach them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ModerationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    operators: tuple[int, ...] = ()
    # one push per operator per period, summing up the reports that arrived since the last
    report_batch_minutes: int = Field(default=10, ge=1, le=1440)
    reason_max: int = Field(default=500, ge=20, le=1000)  # the table holds up to 1000
    open_reports_max: int = Field(default=20, ge=1, le=1000)  # open at once, per person
