"""Abuse limits: how many of a kind of request one person, or one client address, may make in a
window, counted where every replica sees the same number.

Writes are counted in PostgreSQL (storage/limits.py): one UPSERT … RETURNING bumps every counter
a request touches, in fixed windows cut on the database's clock, so the total accepted across
replicas is the limit, never the limit per replica. Cheap reads use a moving window in memory
instead (gallery/limits/local.py).
A refused request has bumped its counters but changed nothing else.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import asyncpg

from config.limits import Rate
from gallery.objects.browse import connection
from storage.db import Connection
from storage.errors import DomainError
from storage.limits import CounterHit, hit_counters
from storage.metrics import RATE_LIMIT_REFUSALS


class RateLimited(DomainError):
    """Over a limit; `retry_after_s` is when the window that refused ends. `first` is True for
    the first refusal of that window, the one a chat answers (later ones pass in silence)."""

    code = "rate_limited"
    status = 429

    def __init__(self, rule: str, retry_after_s: int, *, first: bool) -> None:
        super().__init__(f"too many requests ({rule}); try again in {retry_after_s} s")
        self.rule, self.retry_after_s, self.first = rule, retry_after_s, first


@dataclass(frozen=True)
class RateItem:
    """At most `amount` per window of `seconds`."""

    amount: int
    seconds: int


def per_minutes(amount: int, minutes: int = 1) -> RateItem:
    return RateItem(amount, 60 * minutes)


def per_day(amount: int) -> RateItem:
    return RateItem(amount, 86_400)


@dataclass(frozen=True)
class Ceiling:
    rule: str
    subject: str
    item: RateItem
    cost: int = 1

    @property
    def key(self) -> tuple[str, str, int]:
        return self.rule, self.subject, self.item.seconds


def person_subject(user_id: int) -> str:
    return f"u:{user_id}"


@lru_cache(maxsize=4096)  # counted on every request, mostly for the same few addresses
def address_subject(address: str | None) -> str:
    """An IPv4 address as it is; an IPv6 one by its /64, which one subscriber usually holds
    whole (counting single addresses would give them 2**64 budgets)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "a:unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"a:{ip.ipv4_mapped}"
        return f"a:{ipaddress.ip_network((ip, 64), strict=False)}"
    return f"a:{ip}"


def per_minute(
    rule: str, rate: Rate, *, person: int | None = None, address: str | None = None
) -> list[Ceiling]:
    """The rule's ceilings for whichever of the two subjects is known; 0 is no ceiling."""
    ceilings = []
    if person is not None and rate.person:
        ceilings.append(person_per_minute(rule, person, rate.person))
    if address is not None and rate.address:
        ceilings.append(address_per_minute(rule, address, rate.address))
    return ceilings


# Ceilings are immutable and asked for on every request, mostly for the same few subjects.
@lru_cache(maxsize=4096)
def address_per_minute(rule: str, address: str, limit: int) -> Ceiling:
    return Ceiling(rule, address_subject(address), per_minute_item(limit))


@lru_cache(maxsize=4096)
def person_per_minute(rule: str, person: int, limit: int, cost: int = 1) -> Ceiling:
    return Ceiling(rule, person_subject(person), per_minute_item(limit), cost)


@lru_cache(maxsize=256)  # one per configured amount; items are immutable
def per_minute_item(amount: int) -> RateItem:
    return per_minutes(amount)


async def enforce(db: asyncpg.Pool | Connection, ceilings: Sequence[Ceiling]) -> None:
    """Count each ceiling's cost against it, all at once; RateLimited if any is now exceeded."""
    if not ceilings:
        return
    ordered = sorted(ceilings, key=lambda ceiling: ceiling.key)
    async with connection(db) as conn:
        hits = await hit_counters(conn, [(*c.key, c.cost) for c in ordered])
    by_key = {(c.rule, c.subject): c for c in ordered}
    over = [hit for hit in hits if hit.hits > by_key[(hit.rule, hit.subject)].item.amount]
    if over:
        raise refusal(over, by_key)


def refusal(over: list[CounterHit], by_key: dict[tuple[str, str], Ceiling]) -> RateLimited:
    worst = max(over, key=lambda hit: hit.seconds_left)
    ceilings = [by_key[(hit.rule, hit.subject)] for hit in over]
    # the first refusal of a window: every exceeded counter was within its limit before this hit
    first = all(hit.hits - c.cost <= c.item.amount for hit, c in zip(over, ceilings, strict=True))
    RATE_LIMIT_REFUSALS.labels(worst.rule).inc()
    return RateLimited(worst.rule, max(1, math.ceil(worst.seconds_left)), first=first)
