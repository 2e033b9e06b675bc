"""Signed, expiring download links to a finished export. The signature binds the export, its
owner and the expiry, so a link cannot be moved to another export or outlive its time; only
the owner is ever given one (webapp/routes_account.py)."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime

from storage import exports
from storage.db import Connection
from storage.errors import DomainError, NotFound
from storage.exports import ExportRow

LABEL = b"gallery:account-export-link"


class LinkRefused(DomainError):
    code = "link_invalid"
    status = 403


def link_key(media_key: bytes) -> bytes:
    return hmac.new(media_key, LABEL, hashlib.sha256).digest()


def signature(key: bytes, export_id: int, user_id: int, expires: int) -> str:
    message = f"{export_id}:{user_id}:{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign(key: bytes, export: ExportRow, ttl_s: int) -> tuple[int, str]:
    """The expiry (unix seconds) and signature of a link to `export`."""
    expires = int(time.time()) + ttl_s
    return expires, signature(key, export.id, export.user_id, expires)


async def own_ready_export(conn: Connection, export_id: int, user_id: int) -> ExportRow:
    """`user_id`'s export, finished; NotFound for anyone else's, as for a missing one."""
    found = await exports.get_export(conn, export_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"export {export_id} does not exist", code="export_not_found")
    if found.state != "ready" or found.expires_at <= datetime.now(UTC):
        raise NotFound(f"export {export_id} is not ready", code="export_not_ready")
    return found


async def export_for_link(
    conn: Connection, key: bytes, export_id: int, expires: int, given: str
) -> ExportRow:
    """The export a link names, if its signature holds and it has not expired."""
    if expires <= time.time():
        raise LinkRefused("this download link has expired; ask for a new one")
    found = await exports.get_export(conn, export_id)
    owner = found.user_id if found is not None else 0
    if found is None or not hmac.compare_digest(signature(key, export_id, owner, expires), given):
        raise LinkRefused("this download link is not valid")
    return await own_ready_export(conn, export_id, owner)
