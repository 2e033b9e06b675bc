"""The abuse limits at the API's door: who the client is (the token's user and the address) and
the route's rule, counted before the handler writes anything (gallery/limits says how)."""

from __future__ import annotations

import ipaddress
from functools import cache, lru_cache

from aiohttp import web

from config.limits import LimitsSettings, Rate
from gallery.limits import enforce, per_minute
from gallery.limits.local import LocalLimiter
from storage.db import Connection
from storage.models import UserRow
from webapp.services import services

# cheap reads, limited per replica in memory; every other rule is counted in the database
LOCAL_RULES = frozenset({"search"})
RULES = frozenset(name for name, field in LimitsSettings.model_fields.items()
                  if field.annotation in (Rate, "Rate"))  # fmt: skip
LOCAL_LIMITER: web.AppKey[LocalLimiter] = web.AppKey("local_limiter", LocalLimiter)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(network, strict=False) for network in trusted)


@lru_cache(maxsize=4096)  # asked on every request, mostly about the same few peers
def trusted(address: str | None, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(request: web.Request, trusted_proxies: tuple[str, ...]) -> str | None:
    """The peer, unless it is a trusted proxy: then the rightmost X-Forwarded-For hop that is
    not one. A client can write anything into the header, but only on its left: each trusted
    proxy appends the address it saw, so the first untrusted hop from the right is the one a
    trusted proxy vouched for."""
    proxies = networks(trusted_proxies)
    address = request.remote
    if not trusted(address, proxies):
        return address
    hops = [hop.strip() for header in request.headers.getall("X-Forwarded-For", [])
            for hop in header.split(",")]  # fmt: skip
    for hop in reversed(hops):
        address = hop
        if not trusted(hop, proxies):
            break
    return address


def local_limiter(request: web.Request) -> LocalLimiter:
    return request.config_dict[LOCAL_LIMITER]


async def enforce_rule(
    request: web.Request, rule: str, *, person: int | None, conn: Connection | None,
    by_address: bool = True,
) -> None:  # fmt: skip
    """429 `rate_limited` (with Retry-After) when this request takes the person or the client's
    address past the rule's rate."""
    web_services = services(request)
    limits = web_services.settings.limits
    if not limits.enabled:
        return
    address = client_address(request, limits.trusted_proxies) if by_address else None
    ceilings = per_minute(rule, getattr(limits, rule), person=person, address=address)
    if rule in LOCAL_RULES:
        local_limiter(request).enforce(ceilings)
    else:
        await enforce(conn or web_services.pool, ceilings)


async def enforce_route_limit(
    request: web.Request, rule: str | None, user: UserRow | None, conn: Connection | None
) -> None:
    if rule is not None:
        await enforce_rule(request, rule, person=None if user is None else user.id, conn=conn)
