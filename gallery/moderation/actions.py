"""What operators do: hide and restore an object, ban and unban a person, dismiss a report.

Each action is one transaction with its audit row (who, what, when, why) and its notices. A
hidden object is seen by its owner only, a banned person's collection by nobody else (the
visibility fragment); whatever pending trade or transfer named what became hidden is void."""

from __future__ import annotations

from config.moderation import ModerationSettings
from gallery.moderation.queries import is_operator, require_operator
from gallery.moderation.reports import clean_reason
from gallery.notices import notify
from gallery.notices.kinds import AccessDecided, Banned, ObjectHidden, ObjectRestored, Unbanned
from gallery.ownership.voiding import tell_voided
from gallery.retry import retry_on_deadlock
from storage import bans, moderation, ownership, trade_views
from storage.db import Connection
from storage.errors import Conflict, Forbidden, NotFound
from storage.moderation import AuditRow, ModeratedObject, ReportRow
from storage.objects import change_visibility


async def _lock_object(conn: Connection, object_id: int) -> ModeratedObject:
    found = await moderation.lock_moderated_object(conn, object_id)
    if found is None:
        raise NotFound(f"art object {object_id} does not exist")
    return found


async def hide_object(
    conn: Connection, settings: ModerationSettings, operator_id: int, object_id: int, reason: str
) -> AuditRow:
    """Hidden from all but its owner, who is told why; its open reports are resolved and the
    pending trades and transfers naming it are void (both sides told)."""
    require_operator(settings, operator_id)
    why = clean_reason(reason, settings)

    async def attempt() -> AuditRow:
        async with conn.transaction():
            found = await _lock_object(conn, object_id)
            if found.hidden_at is not None:
                raise Conflict("this object is already hidden", code="already_hidden")
            await moderation.set_hidden(conn, object_id, why, operator_id)
            await moderation.resolve_object_reports(conn, object_id, operator_id)
            voided = await ownership.invalidate_naming(conn, [object_id], why="hidden")
            await tell_voided(conn, voided)
            audit = await moderation.add_audit(
                conn, operator_id, "hide", ("object", object_id), why
            )
            notice = ObjectHidden(object_id=object_id, title=found.title, reason=why)
            await notify(conn, found.owner_id, notice, dedupe_key=f"moderation:{audit.id}")
            return audit

    return await retry_on_deadlock(attempt)  # voiding locks trades other movers may hold


async def restore_object(
    conn: Connection, settings: ModerationSettings, operator_id: int, object_id: int, reason: str
) -> AuditRow:
    require_operator(settings, operator_id)
    why = clean_reason(reason, settings)
    async with conn.transaction():
        found = await _lock_object(conn, object_id)
        if found.hidden_at is None:
            raise Conflict("this object is not hidden", code="not_hidden")
        await moderation.set_hidden(conn, object_id, None, None)
        audit = await moderation.add_audit(conn, operator_id, "restore", ("object", object_id), why)
        notice = ObjectRestored(object_id=object_id, title=found.title)
        await notify(conn, found.owner_id, notice, dedupe_key=f"moderation:{audit.id}")
        return audit


async def _lock_person(conn: Connection, user_id: int, banned: bool) -> None:
    state = await bans.lock_user_ban(conn, user_id)
    if state is None:
        raise NotFound(f"user {user_id} does not exist", code="user_not_found")
    if (state.banned_at is not None) != banned:
        code = "not_banned" if banned else "already_banned"
        raise Conflict(f"this person is {'not' if banned else 'already'} banned", code=code)


async def ban_user(
    conn: Connection, settings: ModerationSettings, operator_id: int, user_id: int, reason: str
) -> AuditRow:
    """The person's collection is hidden from everyone, their pending trades, transfers and
    access requests are cancelled (the other side told), and they are told why."""
    require_operator(settings, operator_id)
    if is_operator(settings, user_id):
        raise Forbidden("an operator cannot be banned", code="operator")
    why = clean_reason(reason, settings)

    async def attempt() -> AuditRow:
        async with conn.transaction():
            await _lock_person(conn, user_id, banned=False)
            await change_visibility(conn, user_id)  # no trade is checked against them now
            await bans.set_banned(conn, user_id, why, operator_id)
            await tell_voided(
                conn, await ownership.void_party(conn, user_id, "hidden"), skip=user_id
            )
            await _close_requests(conn, user_id)
            audit = await moderation.add_audit(conn, operator_id, "ban", ("user", user_id), why)
            await notify(conn, user_id, Banned(reason=why), dedupe_key=f"moderation:{audit.id}")
            return audit

    return await retry_on_deadlock(attempt)


async def _close_requests(conn: Connection, user_id: int) -> None:
    """The other side of each access request the banned person was in hears it ended."""
    cancelled = await bans.cancel_requests_of(conn, user_id)
    names = await trade_views.names(conn, [user_id])
    for request in cancelled:
        asked = request.target_id == user_id  # they were asked: the requester's ask is closed
        to_user = request.requester_id if asked else request.target_id
        notice = AccessDecided(outcome="closed" if asked else "cancelled",
                               other_name=names.get(user_id, "—"))  # fmt: skip
        await notify(conn, to_user, notice, dedupe_key=f"request:{request.id}:ban:{to_user}")


async def unban_user(
    conn: Connection, settings: ModerationSettings, operator_id: int, user_id: int, reason: str
) -> AuditRow:
    """The collection is seen again as its privacy says; what the ban cancelled stays so."""
    require_operator(settings, operator_id)
    why = clean_reason(reason, settings)
    async with conn.transaction():
        await _lock_person(conn, user_id, banned=True)
        await change_visibility(conn, user_id)
        await bans.set_banned(conn, user_id, None, None)
        audit = await moderation.add_audit(conn, operator_id, "unban", ("user", user_id), why)
        await notify(conn, user_id, Unbanned(), dedupe_key=f"moderation:{audit.id}")
        return audit


async def dismiss_report(
    conn: Connection, settings: ModerationSettings, operator_id: int, report_id: int,
    reason: str = "",
) -> ReportRow:  # fmt: skip
    """An open report closed without action; the reason is optional."""
    require_operator(settings, operator_id)
    why = clean_reason(reason, settings, required=False)
    async with conn.transaction():
        closed = await moderation.close_report(conn, report_id, "dismissed", operator_id)
        if closed is None:
            raise NotFound(f"no open report {report_id}", code="report_not_found")
        await moderation.add_audit(conn, operator_id, "dismiss", ("report", report_id), why)
        return closed
