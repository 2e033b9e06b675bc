"""Domain errors raised by storage and gallery functions, translated once per surface."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a stable code and a sentence a person can read."""

    code = "invalid"
    status = 400

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
