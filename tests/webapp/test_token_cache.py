"""Checked access tokens are remembered (webapp/tokens.py), which must change no answer: a token
remembered while valid is refused once it expires, and only under the key that signed it."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from webapp.errors import Unauthorized
from webapp.tokens import AccessClaims, TokenExpired, issue_access_token, read_access_token

KEY = b"k" * 32


def fresh_token(ttl_s: int = 60) -> tuple[str, AccessClaims]:
    session = uuid4()
    token = issue_access_token(7, key=KEY, ttl_s=ttl_s, now=datetime.now(UTC), session=session)
    return token, AccessClaims(7, session)


def test_a_remembered_token_expires_on_time(monkeypatch: pytest.MonkeyPatch) -> None:
    token, claims = fresh_token()
    assert read_access_token(token, key=KEY) == claims
    assert read_access_token(token, key=KEY) == claims
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(TokenExpired):
        read_access_token(token, key=KEY)


def test_a_remembered_token_is_refused_under_another_key() -> None:
    token, claims = fresh_token()
    assert read_access_token(token, key=KEY) == claims
    with pytest.raises(Unauthorized) as refused:
        read_access_token(token, key=b"o" * 32)
    assert type(refused.value) is Unauthorized


def test_a_changed_token_is_checked_afresh() -> None:
    token, claims = fresh_token()
    assert read_access_token(token, key=KEY) == claims
    head, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(Unauthorized):
        read_access_token(f"{head}.{payload}.{flipped}", key=KEY)
