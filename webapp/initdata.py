"""MAX mini-app launch data (`initData`), checked exactly as docs/max-platform.md says ("The
mini-app: checking initData")."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from gallery.inputs import ID_MAX, clean_name, control_message, unwanted_character
from webapp.errors import Unauthorized

SECRET_LABEL = b"WebAppData"
MAX_FIELDS = 64
UNIX_SECONDS = re.compile(r"^[0-9]{1,12}$")


class InitDataInvalid(Unauthorized):
    """Launch data that must not log anyone in; `code` says which rule it broke."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail, code=code)


class LaunchUser(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: StrictInt = Field(gt=0, le=ID_MAX)
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    photo_url: str | None = None

    @field_validator("first_name", "last_name", "username")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        # signed by MAX, so the person cannot change it here: cleaned, as the bot does
        return None if value is None else clean_name(value)

    @field_validator("language_code", "photo_url")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        # signed by MAX, but stored as it comes: PostgreSQL cannot hold a NUL
        character = None if value is None else unwanted_character(value)
        if character is not None:
            raise ValueError(control_message(character))
        return value


class LaunchChat(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: StrictInt
    type: str


class InitData(BaseModel):
    model_config = ConfigDict(frozen=True)

    user: LaunchUser
    chat: LaunchChat | None = None
    start_param: str | None = None
    auth_date: datetime
    query_id: str | None = None


def parse_pairs(init_data: str) -> list[tuple[str, str]]:
    """Split and URL-decode once; anything that is not a strict query string is bad_format."""
    try:
        pairs = parse_qsl(
            init_data,
            keep_blank_values=True,
            strict_parsing=True,
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError as exc:
        raise InitDataInvalid("bad_format", f"initData is not a query string: {exc}") from None
    if not pairs or not all(key for key, _ in pairs):
        raise InitDataInvalid("bad_format", "initData is empty or has a field without a name")
    return pairs


def split_hash(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], str]:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise InitDataInvalid("duplicate_key", f"each key must appear once: {', '.join(repeated)}")
    fields = dict(pairs)
    received = fields.pop("hash", None)
    if received is None:
        raise InitDataInvalid("missing_hash", "initData carries no hash")
    return fields, received


def expected_hash(fields: dict[str, str], bot_token: str) -> str:
    launch_params = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(SECRET_LABEL, bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, launch_params.encode(), hashlib.sha256).hexdigest()


def check_hash(fields: dict[str, str], received: str, bot_token: str) -> None:
    # bytes, not str: compare_digest refuses non-ASCII strings, and the hash is attacker input
    calculated = expected_hash(fields, bot_token).encode()
    if not hmac.compare_digest(calculated, received.encode()):
        raise InitDataInvalid("bad_hash", "initData is not signed by this bot")


def check_auth_date(raw: str | None, now: datetime, max_age_s: int, skew_s: int) -> datetime:
    if raw is None or not UNIX_SECONDS.match(raw):
        raise InitDataInvalid("bad_format", "auth_date must be an integer number of seconds")
    auth_date = datetime.fromtimestamp(int(raw), tz=UTC)
    if now - auth_date > timedelta(seconds=max_age_s):
        raise InitDataInvalid("stale", f"initData is older than {max_age_s} s; reopen the app")
    if auth_date - now > timedelta(seconds=skew_s):
        raise InitDataInvalid("future", "auth_date is in the future")
    return auth_date


def parse_user(raw: str | None) -> LaunchUser:
    if raw is None:
        raise InitDataInvalid("missing_user", "initData carries no user")
    try:
        return LaunchUser.model_validate_json(raw)
    except ValidationError:
        raise InitDataInvalid(
            "bad_user", "user is not a JSON object with an integer id and printable names"
        ) from None


def parse_chat(raw: str | None) -> LaunchChat | None:
    if raw is None:
        return None
    try:
        return LaunchChat.model_validate_json(raw)
    except ValidationError:
        raise InitDataInvalid("bad_format", "chat is not a JSON object with an id") from None


def validate_init_data(
    init_data: str,
    bot_token: str,
    *,
    max_age_s: int,
    skew_s: int,
    now: datetime | None = None,
) -> InitData:
    """The signed launch data, or InitDataInvalid. The signature is checked before any field is
    trusted, so a forged `user` never reaches the age or shape checks."""
    fields, received = split_hash(parse_pairs(init_data))
    check_hash(fields, received, bot_token)
    auth_date = check_auth_date(
        fields.get("auth_date"), now or datetime.now(UTC), max_age_s, skew_s
    )
    return InitData(
        user=parse_user(fields.get("user")),
        chat=parse_chat(fields.get("chat")),
        start_param=fields.get("start_param"),
        auth_date=auth_date,
        query_id=fields.get("query_id"),
    )
