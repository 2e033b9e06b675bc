"""[moderation]: who the operators are (MAX user ids) and how reports reach them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ModerationSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    operators: tuple[int, ...] = ()
