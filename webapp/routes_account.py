"""Leaving with your data over the API: exports (asked for, listed, downloaded by a signed
link) and deleting the account in two steps (docs/account-deletion.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from gallery.account import deletion, exports, links
from storage.accounts import DeletionSummary
from storage.db import Connection
from storage.exports import ExportRow
from storage.models import UserRow
from webapp.inputs import BodyIn, QueryIn
from webapp.routing import RouteTable, path_id
from webapp.services import WebServices

api_route = RouteTable()
EXPORT = "/account/exports/{export_id:\\d+}"
EXPORTS_LISTED = 5
NOT_FOUND = {404: "export_not_found / export_not_ready: no such finished export of yours"}


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ExportOut(Out):
    id: int
    deliver: Literal["chat", "link"]
    state: Literal["queued", "building", "ready", "failed"]
    failure: Literal["too_large", "error"] | None
    byte_size: int | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime

    @classmethod
    def from_row(cls, row: ExportRow) -> ExportOut:
        return cls.model_validate(row.model_dump())


class ExportList(Out):
    items: list[ExportOut]


class ExportAsk(BodyIn):
    deliver: Literal["chat", "link"] = Field("link", description="send the zip to the chat too")


class ExportLink(Out):
    url: str
    file_name: str
    expires_at: datetime


class DownloadQuery(QueryIn):
    expires: int = Field(ge=0, le=2**40)
    sig: str = Field(pattern="^[0-9a-f]{64}$")


class DeletionWarningOut(Out):
    token: str = Field(description="confirms exactly this summary, once, until expires_at")
    expires_at: datetime
    summary: DeletionSummary


class DeletionConfirm(BodyIn):
    token: str = Field(min_length=1, max_length=64)


class Deleted(Out):
    deleted: bool


@api_route("POST", "/account/exports", summary="Ask for an export of my data", body=ExportAsk,
           response=ExportOut, status=202, limit="account",
           errors={413: "export_too_large: past account.export_max_bytes",
                   429: "rate_limited: one export per account.export_every_minutes"})  # fmt: skip
async def ask_export(
    request: web.Request, body: ExportAsk, user: UserRow, conn: Connection, services: WebServices
) -> ExportOut:
    queued = await exports.request_export(conn, user.id, body.deliver, services.settings.account)
    return ExportOut.from_row(queued)


@api_route("GET", "/account/exports", summary="My latest exports", response=ExportList)
async def list_exports(request: web.Request, user: UserRow, conn: Connection) -> ExportList:
    rows = await exports.my_exports(conn, user.id, EXPORTS_LISTED)
    return ExportList(items=[ExportOut.from_row(row) for row in rows])


@api_route("POST", f"{EXPORT}/link", summary="A signed, expiring download link to my export",
           response=ExportLink, errors=NOT_FOUND, limit="account")  # fmt: skip
async def export_link(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> ExportLink:
    export_id = path_id(request, "export_id")
    ready = await links.own_ready_export(conn, export_id, user.id)
    ttl = services.settings.account.export_link_ttl_s
    expires, sig = links.sign(link_key(services), ready, ttl)
    base = services.settings.server.public_url.rstrip("/") or str(request.url.origin())
    url = f"{base}/api/account/exports/{export_id}/download?expires={expires}&sig={sig}"
    return ExportLink(url=url, file_name=file_name(ready),
                      expires_at=datetime.fromtimestamp(expires, UTC))  # fmt: skip


@api_route("GET", f"{EXPORT}/download", summary="Download an export by its signed link",
           query=DownloadQuery, auth=False, limit="account",
           errors={403: "link_invalid: a wrong or expired signature", **NOT_FOUND})  # fmt: skip
async def download_export(
    request: web.Request, query: DownloadQuery, conn: Connection, services: WebServices
) -> web.StreamResponse:
    export_id = path_id(request, "export_id")
    ready = await links.export_for_link(
        conn, link_key(services), export_id, query.expires, query.sig
    )
    assert ready.media_key is not None
    data = await services.store.get(ready.media_key)
    return web.Response(body=data, content_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{file_name(ready)}"',
        "Cache-Control": "private, no-store",
    })  # fmt: skip


def link_key(services: WebServices) -> bytes:
    return links.link_key(services.settings.derived_key("media"))


def file_name(export: ExportRow) -> str:
    return f"gallery-export-{export.created_at:%Y-%m-%d}.zip"


@api_route("POST", "/account/deletion", response=DeletionWarningOut, limit="account",
           summary="What deleting my account would do, and the token that confirms it")  # fmt: skip
async def warn_deletion(
    request: web.Request, user: UserRow, conn: Connection, services: WebServices
) -> DeletionWarningOut:
    minutes = services.settings.account.delete_confirm_minutes
    warning = await deletion.warn(conn, user.id, timedelta(minutes=minutes))
    return DeletionWarningOut(
        token=warning.token, expires_at=warning.expires_at, summary=warning.summary
    )


@api_route("POST", "/account/deletion/confirm", summary="Delete my account", body=DeletionConfirm,
           response=Deleted, limit="account",
           errors={410: "deletion_token_invalid: unknown, used, expired or not yours",
                   409: "deletion_changed: the counts shown changed; ask again"})  # fmt: skip
async def confirm_deletion(
    request: web.Request, body: DeletionConfirm, user: UserRow, conn: Connection,
    services: WebServices,
) -> Deleted:  # fmt: skip
    await deletion.confirm(conn, services.store, user.id, body.token)
    services.session_gate.forget_user(user.id)  # this process refuses their tokens at once
    return Deleted(deleted=True)


def add_routes(api: web.Application) -> None:
    api_route.mount(api)
