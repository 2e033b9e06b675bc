"""Profiles, privacy and access requests over the API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from gallery.profiles import privacy, requests
from storage.db import Connection
from storage.models import Privacy, UserRow
from storage.profiles import ProfileFacts, ProfileRequest, access_between
from webapp.inputs import BodyIn, Id, QueryIn
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices
from webapp.views import Me, UserPublic

api_route = RouteTable()
REQUEST = "/profile-requests/{request_id:\\d+}"
NOT_FOUND = {404: "request_not_found: no such request, or not yours"}
CLOSED = "request_<status>: it was already decided"


Access = Literal["self", "public", "approved", "pending", "none"]


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProfileOut(Out):
    user: UserPublic
    privacy: Privacy
    can_view: bool
    access: Access
    request_id: int | None
    owned: int | None = Field(description="null unless you may see the collection")
    created: int | None = Field(description="null unless you may see the collection")
    favorites_received: int | None = Field(description="null unless you may see the collection")


class RequestOut(Out):
    id: int
    requester: UserPublic | None = None
    requester_id: int
    requester_name: str
    target_id: int
    target_name: str
    status: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None

    @classmethod
    def from_row(cls, row: ProfileRequest) -> RequestOut:
        return cls.model_validate(row.model_dump())


class RequestListOut(Out):
    items: list[RequestOut]


class AskIn(BodyIn):
    target_id: Id


class BoxQuery(QueryIn):
    box: Literal["incoming", "outgoing"] = "incoming"
    status: Literal["pending", "all"] = "pending"


class MePatch(BodyIn):
    privacy: Privacy | None = None
    language: Literal["ru", "en"] | None = None


def _access(facts: ProfileFacts, viewer: int | None, request: ProfileRequest | None) -> Access:
    if viewer == facts.user.id:
        return "self"
    if facts.user.privacy == "public":
        return "public"
    if request is None:
        return "none"
    return "approved" if request.status == "approved" else "pending"


@api_route(
    "GET", "/users/{user_id:\\d+}", summary="A profile, and whether I may see the collection",
    response=ProfileOut, auth="optional", errors={404: "user_not_found"},
)  # fmt: skip
async def get_profile(
    request: web.Request, user: UserRow | None, conn: Connection
) -> ProfileOut:
    target = path_id(request, "user_id")
    viewer = user.id if user else None
    facts = await privacy.profile(conn, target, viewer)
    pending = await access_between(conn, viewer, target) if viewer else None
    return ProfileOut(
        user=UserPublic.from_row(facts.user), privacy=facts.user.privacy,
        can_view=facts.can_view, access=_access(facts, viewer, pending),
        request_id=pending.id if pending else None, owned=facts.owned,
        created=facts.created, favorites_received=facts.favorites_received,
    )  # fmt: skip


@api_route(
    "PATCH", "/me", summary="Change my privacy or language", body=MePatch, response=Me,
)  # fmt: skip
async def patch_me(
    request: web.Request, body: MePatch, user: UserRow, conn: Connection
) -> Me:
    if body.privacy is not None:
        user = await privacy.change_privacy(conn, user.id, body.privacy)
    if body.language is not None:
        user = await privacy.change_language(conn, user.id, body.language)
    return Me.from_row(user)


@api_route(
    "POST", "/profile-requests", summary="Ask to see a non-public collection", body=AskIn,
    response=RequestOut, status=201, limit="profile_request",
    errors={400: "own_profile", 404: "user_not_found",
            409: "profile_public, already_approved, request_pending"},
)  # fmt: skip
async def ask(
    request: web.Request, body: AskIn, user: UserRow, conn: Connection, services: WebServices
) -> RequestOut:
    ttl = timedelta(days=services.settings.rules.profile_request_ttl_days)
    created = await requests.request_access(conn, user.id, body.target_id, ttl)
    return RequestOut.from_row(created)


@api_route(
    "GET", "/profile-requests", summary="Requests to me (incoming) or mine (outgoing)",
    query=BoxQuery, response=RequestListOut,
)  # fmt: skip
async def list_requests(
    request: web.Request, query: BoxQuery, user: UserRow, conn: Connection
) -> RequestListOut:
    rows = await requests.requests(conn, user.id, query.box, query.status == "pending")
    return RequestListOut(items=[RequestOut.from_row(r) for r in rows])


def _decision(action: str, summary: str, side: str) -> None:
    @api_route(
        "POST", f"{REQUEST}/{action}", summary=summary, response=RequestOut,
        errors={**NOT_FOUND, 403: f"not_your_side: only the {side} may", 409: CLOSED},
    )  # fmt: skip
    async def decide(request: web.Request, user: UserRow, conn: Connection) -> RequestOut:
        request_id = path_id(request, "request_id")
        act = getattr(requests, action)
        return RequestOut.from_row(await act(conn, request_id, user.id))

    decide.__name__ = f"{action}_request"


_decision("approve", "The target lets the requester see their collection", "target")
_decision("decline", "The target says no", "target")
_decision("cancel", "The requester withdraws the request", "requester")
_decision("revoke", "The target takes an approval back", "target")


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
