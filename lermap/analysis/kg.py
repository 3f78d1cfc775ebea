"""What the analysis layer needs of a knowledge graph, as a Protocol that :class:`lermap.service.KnowledgeGraph` meets.

Analysis sits below the service (``docs/architecture.md``), so it never imports ``KnowledgeGraph``; its functions
take a :class:`Graph` instead. mypy checks ``KnowledgeGraph`` against this Protocol wherever the service hands
itself to an analysis function, so the two cannot drift apart, and a test can pass anything with these methods.
Reads come back as typed rows (:meth:`Graph.rows`: plain Python values, ``None`` where unbound), never DataFrames.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar

from lermap.graph.store import GraphInfo, GraphStore, QueryValue, SelectResult
from lermap.graph.terms import Value
from lermap.ingest.pipeline import IngestReport

T = TypeVar("T")
Row = dict[str, Value]


class Graph(Protocol):
    """A knowledge graph as analysis functions use it."""

    @property
    def store(self) -> GraphStore: ...

    def rows(self, name: str, bindings: Mapping[str, QueryValue] | None = None) -> list[Row]:
        """The rows of the shipped query ``name`` (``lermap/graph/queries/<name>.rq``)."""
        ...

    def select(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None) -> SelectResult: ...

    def ask(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None) -> bool: ...

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """``build()``, computed once per state of the store."""
        ...

    def sources(self) -> list[GraphInfo]: ...

    def drop(self, source: str) -> GraphInfo: ...

    def ingest_bytes(self, key: str, data: bytes, format: str | None = None, personal: bool = False) -> IngestReport: ...


def text(value: Value) -> str | None:
    """A row value as text: None when unbound or empty (a GROUP_CONCAT over nothing gives ``""``).

    >>> text("ESCO"), text(""), text(None), text(3)
    ('ESCO', None, None, '3')
    """
    return None if value is None or value == "" else str(value)


def number(value: Value) -> float | None:
    """A row value as a number: None when unbound or not numeric.

    >>> number(3), number("2.5"), number(None), number("n/a")
    (3.0, 2.5, None, None)
    """
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
