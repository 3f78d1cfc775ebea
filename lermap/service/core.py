"""The core of the service: ingest, query and export, the per-state cache, and the lock that serialises writes.

Every write a :class:`GraphCore` makes (ingest, drop, build, and the writes of the topic mixins: curation, proposals,
identity links, derived products) runs under one re-entrant lock, so two threads of one process (two API requests,
or a notebook's threads) never interleave a read-check-write sequence; Python callers get the same serialisation as
the API.

>>> import lermap
>>> kg = lermap.open_graph("memory:")
>>> kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # SELECT as a DataFrame, for analysts
   n
0  0
>>> kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()  # typed rows, what lermap's own code reads
[{'n': 0}]
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self, TypeVar

import pandas as pd
import pyoxigraph as ox

from lermap.config import settings
from lermap.errors import QueryError, SourceError
from lermap.graph.context_report import ContextReport, check_context_document
from lermap.graph.jsonld import default_registry
from lermap.graph.sparql_text import read_query
from lermap.graph.store import GraphInfo, GraphStore, QueryValue, SelectResult, to_term
from lermap.graph.terms import Value, python_value, to_rdflib_graph
from lermap.graph.validate import ValidationReport, validate_store
from lermap.ingest.base import IngestOptions, Source
from lermap.ingest.fetch import FetchResult, fetch
from lermap.ingest.pipeline import IngestReport, ProgressCallback, expand, ingest_source

T = TypeVar("T")


class GraphCore:
    """A store with the operations every part of the service builds on: ingest, query, export, cache, write lock."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._cache: dict[tuple[str, tuple[str, ...]], Any] = {}
        self._building: dict[tuple[str, tuple[str, ...]], threading.RLock] = {}  # one builder per key at a time
        self._cache_lock = threading.Lock()
        self._write_lock = threading.RLock()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the graph's write lock for a block of reads and writes that must not interleave with another's."""
        with self._write_lock:
            yield

    def state(self) -> tuple[str, ...]:
        """The store's state: the catalogued graphs (any ingest, drop, approval or revert changes it)."""
        return tuple(g.value for g in self.store.visible_graphs())

    @property
    def selector(self) -> str:
        """The store selector this graph was opened with (``memory:``, ``oxigraph:PATH``, ``sparql:URL``)."""
        return self.store.selector

    # -- ingest ----------------------------------------------------------------------------------

    def iter_ingest(
        self,
        paths: Iterable[str | Path],
        format: str | None = None,
        personal: bool = False,
        lenient: bool = False,
        extra: Mapping[str, Any] | None = None,
        progress: ProgressCallback | None = None,
    ) -> Iterator[IngestReport | SourceError]:
        """Ingest each source in turn, yielding its report or the error that refused it (and keep going)."""
        options = IngestOptions(personal=personal, lenient=lenient, extra=dict(extra or {}))
        sources, skipped = expand(paths, settings().limits)
        for note in skipped:
            yield SourceError(note.split(": ", 1)[0], "(path)", note.split(": ", 1)[1])
        for source in sources:
            try:
                with self._write_lock:
                    report = ingest_source(self.store, source, format, options, progress)
            except SourceError as exc:
                yield exc
            else:
                yield report

    def ingest(self, *paths: str | Path, format: str | None = None, personal: bool = False, lenient: bool = False,
               extra: Mapping[str, Any] | None = None) -> list[IngestReport]:
        """Ingest files or folders; raises the first refusal (sources before it stay ingested)."""
        reports = []
        for item in self.iter_ingest(paths, format=format, personal=personal, lenient=lenient, extra=extra):
            if isinstance(item, SourceError):
                if item.reason.startswith("skipped"):
                    continue
                raise item
            reports.append(item)
        return reports

    def ingest_bytes(self, key: str, data: bytes, format: str | None = None, personal: bool = False) -> IngestReport:
        """Ingest a document held in memory (e.g. an upload), identified by ``key``."""
        source = Source.from_bytes(key, data, settings().limits)
        with self._write_lock:
            return ingest_source(self.store, source, format, IngestOptions(personal=personal))

    def fetch(self, name: str, **options: Any) -> tuple[FetchResult, list[IngestReport | SourceError]]:
        """Download a public dataset into the local cache (checksum and version kept), then ingest it.

        ``options`` go to :func:`lermap.ingest.fetch.fetch` (``url``, ``version``, ``ids``, ``cache_dir``, ...)."""
        result = fetch(name, **options)
        return result, list(self.iter_ingest(result.paths, extra=result.options))

    def sources(self) -> list[GraphInfo]:
        """Every ingested source with its provenance."""
        return self.store.catalog()

    def drop(self, source: str) -> GraphInfo:
        """Remove a source (by key, file name or graph IRI)."""
        with self._write_lock:
            return self.store.drop(source)

    # -- query -----------------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None,
              include_personal: bool = False) -> SelectResult | bool | list[ox.Triple]:
        """Run SPARQL over the shared graphs; values in ``bindings`` are bound, never formatted in."""
        terms = {k: to_term(v) for k, v in (bindings or {}).items()}
        return self.store.query(sparql, terms, include_personal=include_personal)

    def select(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None) -> SelectResult:
        """Run a SELECT query and keep its terms (variables and rows of pyoxigraph terms); other forms are refused."""
        res = self.query(sparql, bindings)
        if not isinstance(res, SelectResult):
            raise QueryError("expected a SELECT query")
        return res

    def sparql(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None, raw: bool = False) -> Any:
        """SELECT → DataFrame (plain values, or terms with ``raw=True``); ASK → bool; CONSTRUCT → rdflib Graph."""
        res = self.query(sparql, bindings)
        if isinstance(res, bool):
            return res
        if isinstance(res, list):
            return to_rdflib_graph(res)
        rows = res.rows if raw else [[python_value(t) for t in row] for row in res.rows]
        return pd.DataFrame(rows, columns=res.variables)

    def run_query(self, name: str, bindings: Mapping[str, QueryValue] | None = None) -> pd.DataFrame:
        """Run a shipped query file by name (``lermap/graph/queries/<name>.rq``) into a DataFrame, for analysts."""
        res = self.select(read_query(name), bindings)
        return pd.DataFrame([[python_value(t) for t in row] for row in res.rows], columns=res.variables)

    def rows(self, name: str, bindings: Mapping[str, QueryValue] | None = None) -> list[dict[str, Value]]:
        """Run a shipped query file by name; each row a dict of plain Python values, None where unbound.

        The typed read that lermap's own code uses (no NaN to test for); :meth:`run_query` gives the same as a DataFrame."""
        return self.select(read_query(name), bindings).records()

    def ask(self, sparql: str, bindings: Mapping[str, QueryValue] | None = None) -> bool:
        res = self.query(sparql, bindings)
        if not isinstance(res, bool):
            raise QueryError("expected an ASK query")
        return res

    def export(self, format: str = "nquads", graph: str | None = None) -> bytes:
        """Serialise one graph (IRI) or every shared graph: ``nquads``, ``trig``, ``jsonld``, ``turtle``, ``ntriples``, ``rdfxml``."""
        return self.store.export(format, graph)

    # -- cache -----------------------------------------------------------------------------------

    def cached(self, name: str, build: Callable[[], T]) -> T:
        """A projection built once per state of the store (any ingest or drop invalidates it). Concurrent callers of
        the same projection wait for the one building it (the server's warm-up and a first request) rather than
        computing it twice."""
        key = (name, self.state())
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        with self._cache_lock:
            building = self._building.setdefault(key, threading.RLock())
        with building:
            if key not in self._cache:
                value = build()
                with self._cache_lock:
                    self._cache = {k: v for k, v in self._cache.items() if k[1] == key[1]}
                    self._cache[key] = value
                    self._building = {k: v for k, v in self._building.items() if k[1] == key[1]}
            return self._cache[key]  # type: ignore[no-any-return]

    def validate(self) -> ValidationReport:
        """SHACL validation of the core view (see ``lermap/graph/shapes``)."""
        return validate_store(self.store)

    def digest(self) -> str:
        """A checksum of everything in the store: equal digests mean equal content."""
        return self.store.digest()

    def close(self) -> None:
        """Release the store (an embedded store stays locked until then); ``with open_graph(...) as kg:`` does it."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



def check_context(target: str) -> ContextReport:
    """The defects of a JSON-LD context (a file, or the URL of a bundled or registered one) and which of them an
    ingest with ``lenient`` repairs; nothing is ingested (``lermap contexts check``)."""
    return check_context_document(target, default_registry())
