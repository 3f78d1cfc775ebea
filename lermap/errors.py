"""One exception hierarchy for lermap.

Every error a user can see derives from :class:`LermapError`. Adapters map the classes to CLI exit
codes and HTTP statuses in one place each (``EXIT_CODES`` here, ``api/errors.py`` for HTTP).
"""

from __future__ import annotations

from typing import Any


class LermapError(Exception):
    """Base of every error lermap reports to a user."""

    exit_code = 1
    http_status = 500

    def to_dict(self) -> dict[str, Any]:
        return {"reason": str(self)}


class SourceError(LermapError):
    """A source document was refused: names the source, the place in it and the reason."""

    exit_code = 2
    http_status = 422

    def __init__(self, source: str, location: str, reason: str) -> None:
        self.source = source
        self.location = location or "(document)"
        self.reason = reason
        super().__init__(f"{source}: {self.location}: {reason}")

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "location": self.location, "reason": self.reason}


class UnsupportedFormatError(SourceError):
    """No registered ingester recognises the source (or the forced one refuses it)."""


class ContextError(SourceError):
    """A JSON-LD context is not available offline."""


class LimitExceededError(SourceError):
    """A document is larger or deeper than the configured limits."""


class StoreError(LermapError):
    """The store cannot be opened, read or written."""

    exit_code = 3
    http_status = 503


class ReadOnlyStoreError(StoreError):
    """A write was attempted on a store opened without an update endpoint."""

    http_status = 405


class QueryError(LermapError):
    """A SPARQL query is malformed, refused or failed."""

    exit_code = 4
    http_status = 400


class NotFoundError(LermapError):
    """A named source, graph or entity does not exist."""

    exit_code = 5
    http_status = 404


class ConfigError(LermapError):
    """A setting, selector or option is invalid."""

    exit_code = 6
    http_status = 400


class ValidationFailed(LermapError):
    """SHACL validation found violations."""

    exit_code = 7
    http_status = 422


EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "error": LermapError.exit_code,
    "source refused": SourceError.exit_code,
    "store unavailable": StoreError.exit_code,
    "bad query": QueryError.exit_code,
    "not found": NotFoundError.exit_code,
    "bad configuration": ConfigError.exit_code,
    "validation failed": ValidationFailed.exit_code,
}
