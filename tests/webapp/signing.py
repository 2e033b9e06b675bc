"""Launch data signed the way docs/max-platform.md (checking initData) says, written apart from
the sandbox's signer so the two cannot share a mistake."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import quote

Pairs = list[tuple[str, str]]


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def signature(bot_token: str, pairs: Pairs) -> str:
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(pairs))
    secret_key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret_key, check_string.encode(), hashlib.sha256).hexdigest()


def encode(pairs: Pairs) -> str:
    return "&".join(f"{quote(key, safe='')}={quote(value, safe='')}" for key, value in pairs)


def signed(bot_token: str, pairs: Pairs) -> str:
    """`pairs` in their given order, with their hash appended."""
    return encode([*pairs, ("hash", signature(bot_token, pairs))])


def launch_pairs(user: dict[str, Any] | None, auth_date: int, **extra: str) -> Pairs:
    pairs: Pairs = [("user", compact(user))] if user is not None else []
    pairs += [("query_id", "4c0ab423-0000-4000-8000-000000000000"), ("auth_date", str(auth_date))]
    return pairs + list(extra.items())
