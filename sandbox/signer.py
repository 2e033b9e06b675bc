import hashlib
import hmac
import json
import re
import time
import uuid
from typing import Any, Literal
from urllib.parse import parse_qsl, quote

LaunchVariant = Literal["valid", "expired", "tampered", "future"]
WEBAPP_VERSION = "26.2.8"
START_PARAM_RE = re.compile(r"^[A-Za-z0-9_-]{1,512}$")
EXPIRED_AGE_S = 2 * 3600
FUTURE_SKEW_S = 3600


def compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def init_data_hash(bot_token: str, pairs: list[tuple[str, str]]) -> str:
    """HMAC over sorted `key=value` lines, keyed by HMAC("WebAppData", token): docs/max-platform.md,
    The mini-app: checking initData."""
    launch_params = "\n".join(f"{k}={v}" for k, v in sorted(pairs))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, launch_params.encode(), hashlib.sha256).hexdigest()


def encode_pairs(pairs: list[tuple[str, str]]) -> str:
    # quote(safe="") so JS decodeURIComponent and Python parse_qsl decode identically
    # (docs/max-platform.md, The mini-app: checking initData).
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs)


def sign_init_data(
    bot_token: str,
    user: dict[str, Any],
    *,
    chat: dict[str, Any] | None = None,
    start_param: str | None = None,
    auth_date: int | None = None,
    query_id: str | None = None,
    ip: str | None = None,
) -> str:
    # Field order follows the docs' example; it is deliberately not sorted.
    pairs: list[tuple[str, str]] = []
    if chat is not None:
        pairs.append(("chat", compact_json(chat)))
    if ip is not None:
        pairs.append(("ip", ip))
    pairs.append(("user", compact_json(user)))
    pairs.append(("query_id", query_id or str(uuid.uuid4())))
    pairs.append(("auth_date", str(int(time.time()) if auth_date is None else auth_date)))
    if start_param is not None:
        pairs.append(("start_param", start_param))
    pairs.append(("hash", init_data_hash(bot_token, pairs)))
    return encode_pairs(pairs)


def tamper(init_data: str) -> str:
    """Same hash, altered user: what an attacker editing initData would produce."""
    pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    altered: list[tuple[str, str]] = []
    for key, value in pairs:
        if key == "user":
            user = json.loads(value)
            user["id"] = int(user["id"]) + 1
            value = compact_json(user)
        altered.append((key, value))
    return encode_pairs(altered)


def clean_start_param(start_param: str | None) -> str | None:
    # A startapp payload over 512 chars or outside [A-Za-z0-9_-] is removed by MAX
    # (docs/max-platform.md, Deep links).
    if start_param is None or not START_PARAM_RE.fullmatch(start_param):
        return None
    return start_param


def variant_init_data(
    bot_token: str,
    user: dict[str, Any],
    chat: dict[str, Any] | None,
    start_param: str | None,
    variant: LaunchVariant = "valid",
) -> str:
    now = int(time.time())
    auth_date = {"expired": now - EXPIRED_AGE_S, "future": now + FUTURE_SKEW_S}.get(variant, now)
    init_data = sign_init_data(bot_token, user, chat=chat, start_param=start_param,
                               auth_date=auth_date, ip="127.0.0.1")
    return tamper(init_data) if variant == "tampered" else init_data


def launch_url(webapp_url: str, init_data: str, start_param: str | None = None) -> str:
    url = webapp_url
    if start_param:
        url += ("&" if "?" in url else "?") + f"WebAppStartParam={quote(start_param, safe='')}"
    fragment = (f"WebAppData={quote(init_data, safe='')}"
                f"&WebAppPlatform=web&WebAppVersion={WEBAPP_VERSION}")
    return f"{url}#{fragment}"
