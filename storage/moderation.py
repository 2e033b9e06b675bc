"""SQL for moderation: reports, hidden objects, banned people, the operators' audit.

Who may do what is decided in gallery/moderation/; what a hidden object or a banned person's
collection hides is decided by the visibility fragment (storage.objects.object_visible_to)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from storage.db import Connection
from storage.models import Row
from storage.objects import OWNER_NAME

ReportKind = Literal["spam", "offensive", "violence", "sexual", "copyright", "other"]
ReportStatus = Literal["open", "resolved", "dismissed"]
AuditAction = Literal["hide", "restore", "ban", "unban", "dismiss"]
TargetKind = Literal["object", "user", "report"]


class ReportRow(Row):
    id: int
    object_id: int
    reporter_id: int
    kind: ReportKind
    reason: str
    status: ReportStatus
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: int | None


class ReportView(ReportRow):
    """A report as an operator lists it: with the object and its owner as they are now."""

    title: str
    owner_id: int
    owner_name: str
    reporter_name: str
    hidden: bool
    reports_on_object: int  # open ones, this one included
    photo_id: int
    thumb_key: str
    preview_key: str


class AuditRow(Row):
    id: int
    operator_id: int
    action: AuditAction
    target_kind: TargetKind
    target_id: int
    reason: str
    at: datetime


class AuditEntry(AuditRow):
    """An audit row as operators read it: who and what it names, as they are now."""

    operator_name: str | None  # None: the operator has no user row (never used the bot)
    target_name: str | None  # None: the object (or the reported object) is gone


class ModeratedObject(Row):
    id: int
    owner_id: int
    title: str
    hidden_at: datetime | None


REPORT_COLUMNS = """r.id, r.object_id, r.reporter_id, r.kind, r.reason, r.status, r.created_at,
    r.resolved_at, r.resolved_by"""

INSERT_REPORT = f"""
INSERT INTO reports AS r (object_id, reporter_id, kind, reason) VALUES ($1, $2, $3, $4)
ON CONFLICT (reporter_id, object_id) WHERE status = 'open' DO NOTHING
RETURNING {REPORT_COLUMNS}
"""


async def insert_report(
    conn: Connection, object_id: int, reporter_id: int, kind: ReportKind, reason: str
) -> ReportRow | None:
    """The new open report, or None when this person already has one open on the object."""
    row = await conn.fetchrow(INSERT_REPORT, object_id, reporter_id, kind, reason)
    return None if row is None else ReportRow.model_validate(dict(row))


async def open_reports_by(conn: Connection, reporter_id: int) -> int:
    count = await conn.fetchval(
        "SELECT count(*) FROM reports WHERE reporter_id = $1 AND status = 'open'", reporter_id
    )
    return int(count)


LIST_REPORTS = f"""
SELECT {REPORT_COLUMNS}, o.title, o.owner_id, {OWNER_NAME} AS owner_name,
       {OWNER_NAME.replace("u.", "ru.")} AS reporter_name, o.hidden_at IS NOT NULL AS hidden,
       (SELECT count(*) FROM reports x WHERE x.object_id = r.object_id AND x.status = 'open')
           AS reports_on_object,
       p.id AS photo_id, p.thumb_key, p.preview_key
FROM reports r
JOIN art_objects o ON o.id = r.object_id
JOIN photos p ON p.id = o.photo_id
JOIN users u ON u.id = o.owner_id
JOIN users ru ON ru.id = r.reporter_id
WHERE r.status = $1
ORDER BY r.created_at DESC, r.id DESC
LIMIT $2
"""


async def list_reports(conn: Connection, status: ReportStatus, limit: int) -> list[ReportView]:
    rows = await conn.fetch(LIST_REPORTS, status, limit)
    return [ReportView.model_validate(dict(r)) for r in rows]


async def close_report(
    conn: Connection, report_id: int, status: ReportStatus, operator_id: int
) -> ReportRow | None:
    """Closes an open report; None when there is no open report with this id."""
    row = await conn.fetchrow(
        f"""UPDATE reports r SET status = $2, resolved_at = now(), resolved_by = $3
            WHERE r.id = $1 AND r.status = 'open' RETURNING {REPORT_COLUMNS}""",
        report_id, status, operator_id,
    )  # fmt: skip
    return None if row is None else ReportRow.model_validate(dict(row))


async def resolve_object_reports(conn: Connection, object_id: int, operator_id: int) -> int:
    """Every open report on the object is resolved (it was acted on); how many."""
    rows = await conn.fetch(
        """UPDATE reports SET status = 'resolved', resolved_at = now(), resolved_by = $2
           WHERE object_id = $1 AND status = 'open' RETURNING id""",
        object_id, operator_id,
    )  # fmt: skip
    return len(rows)


class Announced(Row):
    id: int
    title: str


async def claim_unannounced(conn: Connection) -> list[Announced]:
    """Marks every open report not yet announced to the operators; oldest first."""
    rows = await conn.fetch(
        """UPDATE reports r SET announced_at = now() FROM art_objects o
           WHERE r.announced_at IS NULL AND r.status = 'open' AND o.id = r.object_id
           RETURNING r.id, o.title"""
    )
    return sorted((Announced.model_validate(dict(r)) for r in rows), key=lambda a: a.id)


async def count_open(conn: Connection) -> int:
    return int(await conn.fetchval("SELECT count(*) FROM reports WHERE status = 'open'"))


async def hold_reporter(conn: Connection, reporter_id: int) -> None:
    """One person's reports are written one at a time until commit, so the cap holds."""
    await conn.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('reports:' || $1::bigint, 0))",
        reporter_id,
    )


async def lock_moderated_object(conn: Connection, object_id: int) -> ModeratedObject | None:
    row = await conn.fetchrow(
        "SELECT id, owner_id, title, hidden_at FROM art_objects WHERE id = $1 FOR UPDATE",
        object_id,
    )
    return None if row is None else ModeratedObject.model_validate(dict(row))


async def set_hidden(conn: Connection, object_id: int, reason: str | None, by: int | None) -> None:
    """Hides the object (a reason) or shows it again (None)."""
    await conn.execute(
        """UPDATE art_objects SET hidden_at = CASE WHEN $2::text IS NULL THEN NULL ELSE now() END,
               hidden_reason = $2, hidden_by = $3 WHERE id = $1""",
        object_id, reason, by,
    )  # fmt: skip


async def add_audit(
    conn: Connection, operator_id: int, action: AuditAction, target: tuple[TargetKind, int],
    reason: str,
) -> AuditRow:  # fmt: skip
    row = await conn.fetchrow(
        """INSERT INTO moderation_audit (operator_id, action, target_kind, target_id, reason)
           VALUES ($1, $2, $3, $4, $5) RETURNING *""",
        operator_id, action, target[0], target[1], reason,
    )  # fmt: skip
    assert row is not None
    return AuditRow.model_validate(dict(row))


def person_name(alias: str) -> str:
    """OWNER_NAME of the user row `alias`, NULL when the left join found none."""
    name = OWNER_NAME.replace("u.", f"{alias}.")
    return f"CASE WHEN {alias}.id IS NULL THEN NULL ELSE {name} END"


# One statement: each row's operator, and its target's name (a person's name, an object's
# title, a dismissed report's object's title), joined by kind.
AUDIT_LOG = f"""
SELECT a.*, {person_name("op")} AS operator_name,
       CASE a.target_kind WHEN 'user' THEN {person_name("tu")} WHEN 'object' THEN o.title
                          ELSE ro.title END AS target_name
FROM moderation_audit a
LEFT JOIN users op ON op.id = a.operator_id
LEFT JOIN users tu ON a.target_kind = 'user' AND tu.id = a.target_id
LEFT JOIN art_objects o ON a.target_kind = 'object' AND o.id = a.target_id
LEFT JOIN reports r ON a.target_kind = 'report' AND r.id = a.target_id
LEFT JOIN art_objects ro ON ro.id = r.object_id
ORDER BY a.at DESC, a.id DESC
LIMIT $1
"""


async def audit_log(conn: Connection, limit: int) -> list[AuditEntry]:
    rows = await conn.fetch(AUDIT_LOG, limit)
    return [AuditEntry.model_validate(dict(r)) for r in rows]
