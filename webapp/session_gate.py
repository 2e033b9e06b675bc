"""Whether the login behind an access token still stands, answered mostly from memory.

An access token names its login (claim `sid`: the refresh-token family). A logout or a reused
refresh token revokes the family in the database. Each process reads a family's state, with
the person, in one statement, and then trusts what it read for `auth.session_recheck_s`
seconds: a login ended by another process stops working there within that bound, and at once
in the process that ended it. Between reads an authenticated request costs no database round
trip; the UserRow it gets may be as old as the bound, so a view that shows the person's own
settings reads them afresh (GET /api/me does).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from config.settings import Settings
from storage.models import UserRow

# a few hundred bytes each: an upper bound on memory, far above the logins one process serves
MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class Known:
    """What a process last read about a login: its person, or None once it has ended."""

    user: UserRow | None
    until: float


class SessionGate:
    """Per process: the key access tokens are signed with, and what it knows of logins."""

    def __init__(
        self,
        jwt_key: bytes,
        recheck_s: float,
        *,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.jwt_key = jwt_key
        self.recheck_s = recheck_s
        self._max_entries = max_entries
        self._clock = clock
        self._known: OrderedDict[UUID, Known] = OrderedDict()

    @classmethod
    def from_settings(cls, settings: Settings) -> SessionGate:
        return cls(settings.derived_key("jwt"), settings.auth.session_recheck_s)

    def known(self, session: UUID) -> Known | None:
        """What was read about `session` less than recheck_s ago, if anything."""
        found = self._known.get(session)
        if found is None or found.until <= self._clock():
            return None
        return found

    def remember(self, session: UUID, user: UserRow | None) -> None:
        if self.recheck_s <= 0:
            return
        earlier = self._known.pop(session, None)
        if earlier is not None and earlier.user is None:
            # an ended login never comes back: a read that raced the logout must not revive it
            user = None
        while len(self._known) >= self._max_entries:
            self._known.popitem(last=False)
        self._known[session] = Known(user, self._clock() + self.recheck_s)

    def forget_user(self, user_id: int) -> None:
        """Read this person's logins afresh (they were banned or unbanned in this process)."""
        for session in [s for s, k in self._known.items() if k.user and k.user.id == user_id]:
            del self._known[session]

    def ended(self, session: UUID) -> None:
        """This process ended the login: refuse its access tokens from now on."""
        self.remember(session, None)
