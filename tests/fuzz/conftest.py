"""The fuzzed caller's world: tests/security_input's two people with objects, a trade, a transfer
and a profile request between them (Alice, the caller, on the receiving end of each)."""

from __future__ import annotations

from tests.security_input.conftest import world

__all__ = ["world"]
