"""Rows as pydantic models: what storage functions return instead of raw records."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Privacy = Literal["public", "approved", "private"]
Language = Literal["ru", "en"]


class Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class UserRow(Row):
    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language: Language
    avatar_url: str | None
    dialog_chat_id: int | None
    privacy: Privacy
    reachable: bool
    first_seen_at: datetime
    last_seen_at: datetime
    banned_at: datetime | None = None  # by an operator: nothing they send is served

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "—"
