"""Moderation over the API: anyone reports an object; operators list reports, hide and restore
objects, ban and unban people, dismiss reports and read the audit (gallery/moderation/).

To anyone but an operator the operator routes answer 404 `not_found`, as an unknown path."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from config.moderation import ModerationSettings
from gallery.moderation import actions, queries, reports
from storage.db import Connection
from storage.models import UserRow
from storage.moderation import AuditRow, ReportKind, ReportRow, ReportStatus, ReportView
from webapp.inputs import BodyIn, QueryIn
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices

api_route = RouteTable()
OPERATOR_ONLY = "not_found: no such object, person or report, or you are not an operator"
REASON_RULES = "reason_required, reason_too_long (moderation.reason_max), invalid_reason"
Action = Literal["hide", "restore", "ban", "unban"]
OPERATOR_NAME = "the operator's name; null when they have no account with the bot"
TARGET_NAME = (
    "who or what target_id names, as now: the person's name (user), the object's title "
    "(object), the reported object's title (report); null when it is gone (deleted)"
)


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReportIn(BodyIn):
    reason: str = Field(max_length=1000, description="required; moderation.reason_max at most")
    kind: ReportKind = "other"


class ReasonIn(BodyIn):
    reason: str = Field(max_length=1000, description="required; moderation.reason_max at most")


class DismissIn(BodyIn):
    reason: str = Field(default="", max_length=1000)


class ReportsQuery(QueryIn):
    status: ReportStatus = "open"
    limit: int = Field(default=100, ge=1, le=queries.LIST_MAX)


class AuditQuery(QueryIn):
    limit: int = Field(default=100, ge=1, le=queries.LIST_MAX)


class ReportOut(Out):
    id: int
    object_id: int
    kind: ReportKind
    reason: str
    status: ReportStatus
    created_at: datetime

    @classmethod
    def from_row(cls, row: ReportRow) -> ReportOut:
        return cls.model_validate(row.model_dump())


class ReportMedia(Out):
    thumb: str
    preview: str


class OperatorReportOut(ReportOut):
    reporter_id: int
    reporter_name: str
    title: str
    owner_id: int
    owner_name: str
    hidden: bool
    reports_on_object: int
    resolved_at: datetime | None
    resolved_by: int | None
    media: ReportMedia


class ReportListOut(Out):
    items: list[OperatorReportOut]


class AuditOut(Out):
    id: int
    operator_id: int
    action: str
    target_kind: str
    target_id: int
    reason: str
    at: datetime

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditOut:
        return cls.model_validate(row.model_dump())


class AuditEntryOut(AuditOut):
    operator_name: str | None = Field(description=OPERATOR_NAME)
    target_name: str | None = Field(description=TARGET_NAME)


class AuditListOut(Out):
    items: list[AuditEntryOut]


def operator_report(view: ReportView, services: WebServices, now: float) -> OperatorReportOut:
    sign = services.signer.url_for_key
    media = ReportMedia(thumb=sign(view.photo_id, view.thumb_key, now),
                        preview=sign(view.photo_id, view.preview_key, now))  # fmt: skip
    return OperatorReportOut.model_validate({**view.model_dump(), "media": media})


@api_route(
    "POST", "/objects/{object_id:\\d+}/reports", summary="Report an object to the operators",
    body=ReportIn, response=ReportOut, status=201, limit="report",
    errors={400: f"own_object, {REASON_RULES}",
            404: "not_found: no such object (or not yours to see)",
            409: "already_reported (one open report per object), too_many_reports"},
)  # fmt: skip
async def report_object(
    request: web.Request, body: ReportIn, user: UserRow, conn: Connection, services: WebServices
) -> ReportOut:
    object_id = path_id(request, "object_id")
    settings = services.settings.moderation
    return ReportOut.from_row(
        await reports.report(conn, settings, user.id, object_id, body.reason, body.kind)
    )


@api_route(
    "GET", "/moderation/reports", summary="Reports, newest first (operators)",
    query=ReportsQuery, response=ReportListOut, errors={404: OPERATOR_ONLY},
)  # fmt: skip
async def list_reports(
    request: web.Request, query: ReportsQuery, user: UserRow, conn: Connection,
    services: WebServices,
) -> ReportListOut:  # fmt: skip
    found = await queries.open_reports(
        conn, services.settings.moderation, user.id, query.status, query.limit
    )
    now = time.time()
    return ReportListOut(items=[operator_report(v, services, now) for v in found])


OperatorAction = Callable[[Connection, ModerationSettings, int, int, str], Awaitable[AuditRow]]
ACTIONS: dict[Action, tuple[OperatorAction, str]] = {
    "hide": (actions.hide_object, "object_id"),
    "restore": (actions.restore_object, "object_id"),
    "ban": (actions.ban_user, "user_id"),
    "unban": (actions.unban_user, "user_id"),
}


async def act(request: web.Request, action: Action, reason: str, user: UserRow,
              conn: Connection, services: WebServices) -> AuditOut:  # fmt: skip
    do, param = ACTIONS[action]
    target = path_id(request, param)
    audit = await do(conn, services.settings.moderation, user.id, target, reason)
    if param == "user_id":
        services.session_gate.forget_user(target)  # this process refuses or serves them at once
    return AuditOut.from_row(audit)


def add_action(action: Action, target: str, summary: str, conflict: str) -> None:
    errors = {400: REASON_RULES, 404: OPERATOR_ONLY, 409: conflict}
    if action == "ban":
        errors[403] = "operator: an operator (you too) cannot be banned"

    async def handler(request: web.Request, body: ReasonIn, user: UserRow, conn: Connection,
                      services: WebServices) -> AuditOut:  # fmt: skip
        return await act(request, action, body.reason, user, conn, services)

    handler.__name__ = f"{action}_{target.split('/')[0]}"
    api_route("POST", f"/moderation/{target}/{action}", summary=summary, body=ReasonIn,
              response=AuditOut, errors=errors)(handler)  # fmt: skip


OBJECT, USER = "objects/{object_id:\\d+}", "users/{user_id:\\d+}"
add_action("hide", OBJECT, "Hide an object from all but its owner (operators)", "already_hidden")
add_action("restore", OBJECT, "Show a hidden object again (operators)", "not_hidden")
add_action("ban", USER, "Ban a person (operators)", "already_banned")
add_action("unban", USER, "Lift a ban (operators)", "not_banned")


@api_route(
    "POST", "/moderation/reports/{report_id:\\d+}/dismiss", summary="Dismiss a report (operators)",
    body=DismissIn, response=ReportOut,
    errors={400: "reason_too_long, invalid_reason",
            404: f"report_not_found (not open), {OPERATOR_ONLY}"},
)  # fmt: skip
async def dismiss_report(
    request: web.Request, body: DismissIn, user: UserRow, conn: Connection, services: WebServices
) -> ReportOut:
    report_id = path_id(request, "report_id")
    closed = await actions.dismiss_report(
        conn, services.settings.moderation, user.id, report_id, body.reason
    )
    return ReportOut.from_row(closed)


@api_route(
    "GET", "/moderation/audit", summary="What operators did, newest first (operators)",
    query=AuditQuery, response=AuditListOut, errors={404: OPERATOR_ONLY},
)  # fmt: skip
async def audit(
    request: web.Request, query: AuditQuery, user: UserRow, conn: Connection,
    services: WebServices,
) -> AuditListOut:  # fmt: skip
    rows = await queries.audit_log(conn, services.settings.moderation, user.id, query.limit)
    return AuditListOut(items=[AuditEntryOut.model_validate(r.model_dump()) for r in rows])


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
