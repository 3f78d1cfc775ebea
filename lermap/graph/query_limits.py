"""What bounds a query a client sends (size, nesting, time, rows, slots) and the errors that say which bound held."""

from __future__ import annotations

from dataclasses import dataclass

from lermap.errors import QueryError, StoreError


@dataclass(frozen=True)
class QueryLimits:
    """The bounds of one endpoint; every one comes from a ``LERMAP_*`` setting (see :mod:`lermap.config`)."""

    timeout_s: float = 20.0  # LERMAP_QUERY_TIMEOUT: one deadline for every step of a query's life
    cap: int = 10_000  # LERMAP_RESULT_CAP: rows (or triples) returned at most
    workers: int = 4  # LERMAP_SPARQL_WORKERS: queries evaluated at once
    max_bytes: int = 64 * 1024  # LERMAP_MAX_QUERY_BYTES
    max_depth: int = 100  # LERMAP_MAX_QUERY_DEPTH: bracket nesting


@dataclass
class Answer:
    """A finished answer: its media type, its body and whether the row cap cut it."""

    media_type: str
    body: bytes
    truncated: bool = False


class UpdateRefused(QueryError):
    """A SPARQL update was sent to the read-only endpoint."""

    http_status = 403


class FederationRefused(QueryError):
    """The query asks for SERVICE (federated) evaluation, or could not be cleared of it."""

    http_status = 403


class QueryTooLarge(QueryError):
    """The query text (or the request body) is longer than the configured limit."""

    http_status = 413


class QueryTooDeep(QueryError):
    """The query nests brackets deeper than the configured limit."""


class QueryCrashed(QueryError):
    """The query stopped the process evaluating it (the engine crashed or ran out of memory on it)."""


class QueryTimeout(QueryError):
    """The query ran past the configured timeout."""

    http_status = 503


class EndpointBusy(StoreError):
    """Every query slot stayed taken for the whole timeout."""

    http_status = 503


REFUSALS: dict[str, type[QueryError]] = {c.__name__: c for c in (QueryError, FederationRefused, QueryTooDeep, QueryTooLarge)}
