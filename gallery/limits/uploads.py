"""What one person may add: photos and bytes a day (rate counters shared by every replica) and
the storage quota of what they uploaded and kept."""

from __future__ import annotations

import asyncpg

from config.limits import LimitsSettings
from gallery.limits import Ceiling, enforce, per_day, person_subject
from storage.db import Connection
from storage.errors import DomainError
from storage.limits import upload_usage


class QuotaExceeded(DomainError):
    code = "quota_exceeded"
    status = 413


async def charge_daily_uploads(
    db: asyncpg.Pool | Connection, limits: LimitsSettings, uploader: int, size: int
) -> None:
    """One photo and `size` bytes against the day's budgets; RateLimited when over either."""
    if not limits.enabled:
        return
    subject = person_subject(uploader)
    ceilings = []
    if limits.uploads_per_day:
        item = per_day(limits.uploads_per_day)
        ceilings.append(Ceiling("upload_day", subject, item))
    if limits.upload_bytes_per_day:
        item = per_day(limits.upload_bytes_per_day)
        ceilings.append(Ceiling("upload_bytes_day", subject, item, cost=size))
    await enforce(db, ceilings)


async def check_quota(conn: Connection, limits: LimitsSettings, uploader: int, size: int) -> None:
    """Refuse a photo that would take `uploader` past their quota. Run it under the intake lock:
    then no parallel upload can be counted between this check and the insert."""
    if not limits.enabled or not (limits.quota_objects or limits.quota_bytes):
        return
    usage = await upload_usage(conn, uploader)
    if limits.quota_objects and usage.objects + 1 > limits.quota_objects:
        raise QuotaExceeded(f"the storage quota is {limits.quota_objects} photos per person, "
                            f"and {usage.objects} are yours")  # fmt: skip
    if limits.quota_bytes and usage.bytes + size > limits.quota_bytes:
        raise QuotaExceeded(f"the storage quota is {limits.quota_bytes} bytes per person; "
                            f"{usage.bytes} are used and this photo has {size}")  # fmt: skip
