"""Access tokens (short-lived JWTs) and rotating refresh tokens (opaque, stored as sha256).

A refresh token is good for one use: using it revokes it and issues its successor in the same
family. Presenting a token that was already used means two parties hold it, so the whole family
is revoked and the person logs in again from the mini-app. An access token names its family
(claim `sid`), so ending the family ends its access tokens too (webapp/session_gate.py).
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import jwt

from config.settings import Settings
from gallery.inputs import parse_id
from storage import sessions
from storage.db import Connection
from webapp.errors import Unauthorized
from webapp.session_gate import SessionGate

ALGORITHM = "HS256"
ACCESS_TYPE = "access"
REFRESH_TOKEN_BYTES = 32
VERIFIED_TOKENS_KEPT = 4096


class TokenExpired(Unauthorized):
    code = "token_expired"


class RefreshRefused(Unauthorized):
    code = "invalid_refresh_token"

    def __init__(
        self, detail: str, *, code: str | None = None, revoked: uuid.UUID | None = None
    ) -> None:
        super().__init__(detail, code=code)
        self.revoked = revoked  # the family this refusal revoked, if it did


@dataclass(frozen=True)
class SessionKeys:
    """What issuing tokens needs: the JWT key and both lifetimes."""

    jwt_key: bytes
    access_ttl_s: int
    refresh_ttl_s: int


def session_keys(settings: Settings) -> SessionKeys:
    return SessionKeys(
        jwt_key=settings.derived_key("jwt"),
        access_ttl_s=settings.auth.access_ttl_s,
        refresh_ttl_s=settings.auth.refresh_ttl_s,
    )


@dataclass(frozen=True)
class AccessClaims:
    """Who an access token was issued to, and the login (refresh family) it belongs to."""

    user_id: int
    session: uuid.UUID


@dataclass(frozen=True)
class TokenPair:
    user_id: int
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


def issue_access_token(
    user_id: int, *, key: bytes, ttl_s: int, now: datetime, session: uuid.UUID
) -> str:
    claims = {
        "sub": str(user_id),
        "sid": str(session),
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
        "typ": ACCESS_TYPE,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_access_token(token: str, *, key: bytes) -> AccessClaims:
    """Whom and which login an access token was issued to; TokenExpired or Unauthorized
    otherwise. A token without `sid` predates session checks: refreshing replaces it."""
    claims, expires_at = verified_claims(token, key)
    # checked on every use: the cache below remembers a signature, never that it was in time
    if expires_at <= time.time():
        raise TokenExpired("the access token has expired; refresh it")
    return claims


# A client sends one access token with every call for its whole life, and checking it was an
# eighth of a gallery page's CPU. Only tokens that passed every check are kept, keyed by the
# exact token and key, so a hit is a token this key signed; expiry is checked again on each use
# and ending a login is the session gate's job, as for a token checked afresh.
@lru_cache(maxsize=VERIFIED_TOKENS_KEPT)
def verified_claims(token: str, key: bytes) -> tuple[AccessClaims, int]:
    """The claims of a token whose signature and claims hold now, and when it expires."""
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["exp", "iat", "sub", "typ"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired("the access token has expired; refresh it") from None
    except jwt.InvalidTokenError:
        raise Unauthorized("the access token is not valid") from None
    subject = claims["sub"]
    user_id = parse_id(subject) if isinstance(subject, str) else None
    if claims["typ"] != ACCESS_TYPE or user_id is None:
        raise Unauthorized("the access token is not valid")
    if "sid" not in claims:
        raise TokenExpired("the access token has expired; refresh it")
    try:
        session = uuid.UUID(str(claims["sid"]))
    except ValueError:
        raise Unauthorized("the access token is not valid") from None
    return AccessClaims(user_id, session), int(claims["exp"])


def new_refresh_token() -> str:
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def refresh_token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def issue_pair(
    conn: Connection, user_id: int, keys: SessionKeys, *, family: uuid.UUID, now: datetime
) -> tuple[TokenPair, sessions.SessionRow]:
    refresh_token = new_refresh_token()
    row = await sessions.create_session(
        conn,
        user_id=user_id,
        token_hash=refresh_token_hash(refresh_token),
        family=family,
        expires_at=now + timedelta(seconds=keys.refresh_ttl_s),
    )
    pair = TokenPair(
        user_id=user_id,
        access_token=issue_access_token(user_id, key=keys.jwt_key, ttl_s=keys.access_ttl_s,
                                        now=now, session=family),
        expires_in=keys.access_ttl_s,
        refresh_token=refresh_token,
        refresh_expires_in=keys.refresh_ttl_s,
    )
    return pair, row


async def start_session(conn: Connection, user_id: int, keys: SessionKeys) -> TokenPair:
    """A new login: a new family with its first refresh token."""
    pair, _ = await issue_pair(conn, user_id, keys, family=uuid.uuid4(), now=datetime.now(UTC))
    return pair


async def rotate_session(
    conn: Connection, refresh_token: str, keys: SessionKeys, gate: SessionGate
) -> TokenPair:
    """Trade a refresh token for a new pair, once. Reuse revokes the family (committed), ends
    its access tokens, and is refused; concurrent uses of one token serialise on the family
    lock, so one of them wins."""
    token_hash = refresh_token_hash(refresh_token)
    async with conn.transaction():
        # a refusal is returned, not raised, so that revoking a family on reuse still commits
        outcome = await _rotate(conn, token_hash, keys)
    if isinstance(outcome, RefreshRefused):
        if outcome.revoked is not None:
            gate.ended(outcome.revoked)
        raise outcome
    return outcome


async def _rotate(
    conn: Connection, token_hash: bytes, keys: SessionKeys
) -> TokenPair | RefreshRefused:
    found = await sessions.find_session(conn, token_hash)
    if found is None:
        return RefreshRefused("unknown refresh token; log in again")
    await sessions.lock_family(conn, found.family)
    session = await sessions.lock_session(conn, token_hash)
    assert session is not None
    now = datetime.now(UTC)
    if session.revoked_at is not None and session.replaced_by is None:
        return RefreshRefused("this login has ended; log in again", code="refresh_token_revoked")
    if session.revoked_at is not None:
        await sessions.revoke_family(conn, session.family)
        return RefreshRefused("this refresh token was already used; log in again",
                              code="refresh_token_reused", revoked=session.family)
    if session.expires_at <= now:
        return RefreshRefused("the refresh token has expired; log in again",
                              code="refresh_token_expired")
    pair, successor = await issue_pair(conn, session.user_id, keys, family=session.family, now=now)
    await sessions.mark_replaced(conn, session.id, successor.id)
    return pair


async def end_session(conn: Connection, refresh_token: str, gate: SessionGate) -> None:
    """Logout: revoke the whole family of the presented token, access tokens included; an
    unknown token is a no-op."""
    found = await sessions.find_session(conn, refresh_token_hash(refresh_token))
    if found is None:
        return
    async with conn.transaction():
        await sessions.lock_family(conn, found.family)
        await sessions.revoke_family(conn, found.family)
    gate.ended(found.family)
