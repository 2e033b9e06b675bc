"""Transfer tokens (docs/architecture.md, Rules): random, ≥128 bits, stored only as their sha256.

What a person may be told about a transfer they cannot act on is decided here too, so the bot
and the API refuse with the same codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from storage.errors import Conflict, DomainError, NotFound
from storage.transfers import TransferRow

TOKEN_BYTES = 24  # 192 bits; base64url makes 32 characters, "t_" + 32 fits a start payload
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,100}")


class Gone(DomainError):
    """The transfer existed but can no longer be accepted."""

    code = "gone"
    status = 410


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> bytes | None:
    """The stored form of `token`; None for anything this server never hands out."""
    if not _TOKEN_SHAPE.fullmatch(token):
        return None
    return hashlib.sha256(token.encode()).digest()


def accept_verifier(token_hash: bytes) -> str:
    """What an Accept button carries instead of the token: it proves the presser was shown
    the token, and a chat history that shows it does not give the token away (one-way)."""
    digest = hashlib.sha256(b"transfer-accept:" + token_hash).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def verifier_matches(token_hash: bytes | None, verifier: str) -> bool:
    if token_hash is None:
        return False
    return hmac.compare_digest(accept_verifier(token_hash).encode(), verifier.encode())


def token_matches(token_hash: bytes | None, token: str) -> bool:
    hashed = hash_token(token)
    return token_hash is not None and hashed is not None and hmac.compare_digest(token_hash, hashed)


def not_found() -> NotFound:
    # one answer for a token that never existed and a transfer that is not yours: a guess
    # learns nothing
    return NotFound("this transfer link is not valid", code="transfer_not_found")


def refuse_unless_pending(transfer: TransferRow | None) -> TransferRow:
    if transfer is None:
        raise not_found()
    if transfer.status == "claimed":
        raise Conflict("this transfer has already been accepted", code="transfer_claimed")
    if transfer.status == "cancelled":
        raise Gone("the owner cancelled this transfer", code="transfer_cancelled")
    if transfer.status == "declined":
        raise Gone("this transfer was declined", code="transfer_declined")
    if transfer.status == "invalidated":
        raise Gone("the object changed hands since", code="transfer_invalidated")
    if transfer.status == "expired" or transfer.overdue:
        raise Gone("this transfer has expired", code="transfer_expired")
    return transfer


def refuse_unless_claimable(transfer: TransferRow | None, claimer: int) -> TransferRow:
    transfer = refuse_unless_pending(transfer)
    if transfer.from_user_id == claimer:
        raise Conflict("this object is already yours", code="own_transfer")
    if transfer.kind == "direct" and transfer.to_user_id != claimer:
        raise not_found()
    return transfer
