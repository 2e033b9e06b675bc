"""How people appear in API responses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from storage.models import Language, Privacy, UserRow


class UserPublic(BaseModel):
    """A person as anyone may see them (an owner, a creator, a trade partner)."""

    model_config = ConfigDict(frozen=True)

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    avatar_url: str | None

    @classmethod
    def from_row(cls, row: UserRow) -> UserPublic:
        return cls(id=row.id, first_name=row.first_name, last_name=row.last_name,
                   username=row.username, avatar_url=row.avatar_url)


class Me(UserPublic):
    """The logged-in person, with their own settings."""

    language: Language
    privacy: Privacy
    operator: bool = False  # may moderate: the mini-app shows the operator screen

    @classmethod
    def from_row(cls, row: UserRow, *, operator: bool = False) -> Me:
        return cls(id=row.id, first_name=row.first_name, last_name=row.last_name,
                   username=row.username, avatar_url=row.avatar_url,
                   language=row.language, privacy=row.privacy, operator=operator)
