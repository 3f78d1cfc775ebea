"""How one proof check ends: :class:`Verified`, or one of the two exceptions that stop short of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Verified:
    """A proof that holds: its verification method as written, the DID that controls the key, and how it was checked."""

    method: str
    controller: str
    note: str


class ProofFailed(Exception):
    """The proof was checked and is wrong (bad signature, malformed value, key of the wrong kind)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NotCheckable(Exception):
    """The proof may be fine but cannot be checked offline (network key, unsupported suite, missing context)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
