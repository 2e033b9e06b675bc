import ipaddress
import re
from urllib.parse import urlsplit

from aiohttp import web

from sandbox.clock import now_ms
from sandbox.errors import failure, proto_payload, read_json_object, success
from sandbox.state import SANDBOX_STATE, SandboxState, Subscription
from sandbox.validation import optional_str, required_str

SECRET_RE = re.compile(r"^[a-zA-Z0-9_-]{5,256}$")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook_url(state: SandboxState, url: str) -> None:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        check_https_port(state, parts.port)
        return
    # Real MAX accepts https on 443 only; plain http is a sandbox allowance for local receivers.
    if parts.scheme == "http" and state.config.allow_http_webhooks and is_loopback(host):
        return
    raise proto_payload("Field 'url' must start with https://")


def check_https_port(state: SandboxState, port: int | None) -> None:
    # docs/max-platform.md, How MAX delivers webhooks: port 443 only, no port in the URL; another
    # port only where the sandbox's config allows it (a local TLS proxy without root)
    if port in (None, 443) or state.config.allow_any_https_port:
        return
    raise proto_payload("Field 'url' must use port 443")


def update_types_field(body: dict[str, object]) -> list[str] | None:
    value = body.get("update_types")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(t, str) and t for t in value):
        raise proto_payload("Field 'update_types' must be an array of strings")
    return list(dict.fromkeys(value))


async def subscribe(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    body = await read_json_object(request)
    url = required_str(body, "url")
    check_webhook_url(state, url)
    secret = optional_str(body, "secret")
    if secret is not None and not SECRET_RE.fullmatch(secret):
        raise proto_payload("Field 'secret' must match ^[a-zA-Z0-9_-]{5,256}$")
    # One webhook per bot: subscribing again replaces the previous URL.
    state.subscription = Subscription(url=url, time_ms=now_ms(),
                                      update_types=update_types_field(body), secret=secret)
    return success()


async def list_subscriptions(request: web.Request) -> web.Response:
    sub = request.app[SANDBOX_STATE].subscription
    items = [] if sub is None else [
        {"url": sub.url, "time": sub.time_ms, "update_types": sub.update_types}
    ]
    return web.json_response({"subscriptions": items})


async def unsubscribe(request: web.Request) -> web.Response:
    state = request.app[SANDBOX_STATE]
    url = request.query.get("url")
    if not url:
        raise proto_payload("Missing required parameter: url")
    if state.subscription is None or state.subscription.url != url:
        return failure(f"No subscription for url {url}")
    state.subscription = None
    return success()
