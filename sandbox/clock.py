import secrets
import time
from datetime import UTC, datetime


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def new_mid() -> str:
    return f"mid.{secrets.token_hex(16)}"


def new_opaque_id() -> str:
    return secrets.token_urlsafe(24)


def new_int64_id() -> int:
    return secrets.randbelow(2**62) + 1
