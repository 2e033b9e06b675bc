"""Who is an operator, and what operators read: reports and the audit."""

from __future__ import annotations

from config.moderation import ModerationSettings
from storage import bans, moderation
from storage.db import Connection
from storage.errors import NotFound
from storage.moderation import AuditEntry, ReportStatus, ReportView

LIST_MAX = 200


def is_operator(settings: ModerationSettings, user_id: int | None) -> bool:
    return user_id is not None and user_id in settings.operators


def require_operator(settings: ModerationSettings, user_id: int) -> None:
    """Someone who is not an operator is told there is nothing here, as for an unknown path:
    a refusal must not tell them that operator actions exist or what they would act on."""
    if not is_operator(settings, user_id):
        raise NotFound("there is nothing here")


async def open_reports(
    conn: Connection, settings: ModerationSettings, operator_id: int,
    status: ReportStatus = "open", limit: int = LIST_MAX,
) -> list[ReportView]:  # fmt: skip
    """Reports of one status, newest first, with each object's open report count."""
    require_operator(settings, operator_id)
    return await moderation.list_reports(conn, status, min(max(limit, 1), LIST_MAX))


async def audit_log(
    conn: Connection, settings: ModerationSettings, operator_id: int, limit: int = LIST_MAX
) -> list[AuditEntry]:
    require_operator(settings, operator_id)
    return await moderation.audit_log(conn, min(max(limit, 1), LIST_MAX))


async def is_banned(conn: Connection, user_id: int) -> bool:
    return await bans.is_banned(conn, user_id)
