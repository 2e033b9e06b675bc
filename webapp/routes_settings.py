"""My notification settings over the API: which kinds of push I get (gallery/notices/settings.py).

Only ever my own: the routes take no user id, so nobody can read or change another's."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gallery.notices import settings
from storage.db import Connection
from storage.models import UserRow
from storage.notification_settings import NotificationSwitches
from webapp.inputs import BodyIn
from webapp.routing import RouteTable

api_route = RouteTable()
PATH = "/me/notifications"


class NotificationsOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    trades: bool = Field(description="trades proposed to me, and how my trades ended")
    transfers: bool = Field(description="transfers to me, and how mine ended")
    requests: bool = Field(description="requests to see my collection, and answers to mine")
    favorites: bool = Field(description="someone favourited my object (one push an hour per "
                            "object at most; off unless turned on)")  # fmt: skip
    moderation: bool = Field(description="my object hidden or shown again; for operators, new "
                             "reports. A ban and its lifting are always sent")  # fmt: skip

    @classmethod
    def from_switches(cls, switches: NotificationSwitches) -> NotificationsOut:
        return cls.model_validate(switches.model_dump())


def _documented(schema: dict[str, Any]) -> None:
    """Say what is accepted: at least one switch, each true or false (never null)."""
    schema["minProperties"] = 1
    for name, field in schema["properties"].items():
        schema["properties"][name] = {"type": "boolean", "title": field.get("title", name)}


class NotificationsPatch(BodyIn):
    """The switches to turn on (true) or off (false); those not named stay as they are."""

    model_config = ConfigDict(json_schema_extra=_documented)

    trades: bool | None = None
    transfers: bool | None = None
    requests: bool | None = None
    favorites: bool | None = None
    moderation: bool | None = None

    @model_validator(mode="after")
    def _names_one(self) -> NotificationsPatch:
        if not self.model_fields_set:
            raise ValueError("name at least one switch")
        for name in self.model_fields_set:
            if getattr(self, name) is None:
                raise ValueError(f"{name} is true or false")
        return self


@api_route("GET", PATH, summary="Which kinds of push I get", response=NotificationsOut)
async def get_notifications(
    request: web.Request, user: UserRow, conn: Connection
) -> NotificationsOut:
    return NotificationsOut.from_switches(await settings.switches(conn, user.id))


@api_route(
    "PATCH", PATH, summary="Turn kinds of push on or off (the others stay as they are)",
    body=NotificationsPatch, response=NotificationsOut, limit="notification_settings",
)  # fmt: skip
async def patch_notifications(
    request: web.Request, body: NotificationsPatch, user: UserRow, conn: Connection
) -> NotificationsOut:
    changes: dict[settings.Category, bool] = {
        name: on for name in settings.CATEGORIES if (on := getattr(body, name)) is not None
    }
    return NotificationsOut.from_switches(await settings.change_switches(conn, user.id, changes))


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
