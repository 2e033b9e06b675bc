"""Reporting an object, and the operators' batched push about new reports."""

from __future__ import annotations

from config.moderation import ModerationSettings
from gallery.inputs import checked_text
from gallery.notices import notify
from gallery.notices.kinds import ReportsWaiting
from storage import moderation, objects
from storage.db import Connection
from storage.errors import Conflict, DomainError, NotFound
from storage.moderation import ReportKind, ReportRow

TITLES_SHOWN = 5  # titles named in one operator push; the rest are counted


def clean_reason(text: str, settings: ModerationSettings, *, required: bool = True) -> str:
    """A reason as a person wrote it, trimmed: required (unless not), bounded, storable."""
    reason = checked_text(text.strip(), code="invalid_reason")
    if required and not reason:
        raise DomainError("a reason is required", code="reason_required")
    if len(reason) > settings.reason_max:
        raise DomainError(
            f"a reason is at most {settings.reason_max} characters", code="reason_too_long"
        )
    return reason


async def report(
    conn: Connection, settings: ModerationSettings, reporter_id: int, object_id: int,
    reason: str, kind: ReportKind = "other",
) -> ReportRow:  # fmt: skip
    """`reporter_id` reports an object they may see (one they may not is "not found", as a
    missing one). One open report per person per object; at most open_reports_max open."""
    text = clean_reason(reason, settings)
    async with conn.transaction():
        if not await objects.can_see(conn, object_id, reporter_id):
            raise NotFound(f"art object {object_id} does not exist")
        if (await objects.get_object(conn, object_id)).owner_id == reporter_id:
            raise DomainError("you cannot report your own object", code="own_object")
        await moderation.hold_reporter(conn, reporter_id)
        if await moderation.open_reports_by(conn, reporter_id) >= settings.open_reports_max:
            raise Conflict(
                "you have too many open reports; wait until operators look at them",
                code="too_many_reports",
            )
        row = await moderation.insert_report(conn, object_id, reporter_id, kind, text)
    if row is None:
        raise Conflict("you have already reported this object", code="already_reported")
    return row


async def announce_reports(conn: Connection, settings: ModerationSettings) -> int:
    """One push per operator about the reports that arrived since the last one (a periodic
    job, every report_batch_minutes): so a flood of reports is one message per period."""
    async with conn.transaction():
        new = await moderation.claim_unannounced(conn)
        if not new:
            return 0
        notice = ReportsWaiting(count=len(new), titles=[a.title for a in new[:TITLES_SHOWN]],
                                open_total=await moderation.count_open(conn))  # fmt: skip
        for operator in settings.operators:
            await notify(conn, operator, notice, dedupe_key=f"reports:{new[0].id}:{operator}")
    return len(new)
