"""The embedded backend: pyoxigraph on disk (``oxigraph:PATH``) or in memory (``oxigraph:``, ``memory:``).

A store on disk is held by one process at a time (RocksDB's lock). Other processes read it through a *snapshot*
(:meth:`OxigraphBackend.snapshot`: a RocksDB checkpoint, hard links to the immutable table files, so it costs
milliseconds and little disk) opened read-only: pyoxigraph documents a read-only open of a store that another
process writes as undefined behaviour, and a snapshot nobody writes is safe to open from any number of processes.
``read_only=True`` opens a store that way (and refuses every write); use it only on a store nobody writes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from lermap.errors import QueryError, StoreError
from lermap.graph.sparql_text import bind_values
from lermap.graph.store import SelectResult, Term
from lermap.graph.terms import TripleTuple


class OxigraphBackend:
    """pyoxigraph's ``Store``; bulk loads for ingest, transactions for updates.

    A query over a list of graphs that is every graph of the store is run over their union instead: the same
    triples, but several times faster, since oxigraph then reads each index once rather than once per graph. The
    graph names are cached and forgotten on every write this backend makes."""

    def __init__(self, selector: str, path: str | None, read_only: bool = False) -> None:
        self.selector = selector
        self._names: frozenset[ox.NamedNode] | None = None  # every named graph, when the default graph is empty
        self.path = Path(path) if path else None
        self.writable = not read_only
        if read_only and self.path is None:
            raise StoreError(f"cannot open store {selector} read-only: an in-memory store has nothing to read")
        try:
            if self.path is not None and read_only:
                self.store = ox.Store.read_only(str(self.path))
            elif self.path is not None:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
            else:
                self.store = ox.Store()
        except OSError as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                msg = "the store is in use by another lermap process (e.g. `lermap serve`); stop it or use another store"
            raise StoreError(f"cannot open store {selector}: {msg}") from None

    def _everything(self, graphs: Sequence[ox.NamedNode]) -> bool:
        """True when ``graphs`` are all the store holds (and the default graph is empty)."""
        if self._names is None:
            empty_default = next(iter(self.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
            named = frozenset(g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))
            self._names = named if empty_default else frozenset()
        return bool(self._names) and frozenset(graphs) == self._names

    def load(self, graph: ox.NamedNode, triples: Iterable[TripleTuple]) -> int:
        self._names = None
        count = 0

        def quads() -> Iterator[ox.Quad]:
            nonlocal count
            for s, p, o in triples:
                count += 1
                yield ox.Quad(s, p, o, graph)

        try:
            self.store.bulk_extend(quads())
        except OSError as exc:
            raise StoreError(f"writing to {self.selector} failed: {exc}") from None
        return count

    def load_file(self, graph: ox.NamedNode, path: Path, fmt: ox.RdfFormat, base_iri: str | None) -> None:
        self._names = None
        self.store.bulk_load(path=str(path), format=fmt, base_iri=base_iri, to_graph=graph)

    def update(self, sparql: str) -> None:
        self._names = None
        try:
            self.store.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL update: {exc}") from None
        except OSError as exc:
            raise StoreError(f"update of {self.selector} failed: {exc}") from None

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[ox.NamedNode] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> SelectResult | bool | list[ox.Triple]:
        text = bind_values(sparql, bindings or {})
        try:
            whole = default_graphs is not None and list(named_graphs or []) == list(default_graphs) and self._everything(default_graphs)
            if default_graphs is None or whole:
                res = self.store.query(text, use_default_graph_as_union=True)
            else:
                res = self.store.query(
                    text,
                    default_graph=list(default_graphs),
                    named_graphs=list(named_graphs) if named_graphs is not None else None,
                )
            if isinstance(res, ox.QueryBoolean):
                return bool(res)
            if isinstance(res, ox.QuerySolutions):
                variables = [v.value for v in res.variables]
                return SelectResult(variables, [[sol[i] for i in range(len(variables))] for sol in res])
            return list(res)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL query: {exc}") from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None

    def named_graphs(self) -> list[ox.NamedNode]:
        return [g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]

    def triples(self, graph: ox.NamedNode) -> Iterator[ox.Triple]:
        for q in self.store.quads_for_pattern(None, None, None, graph):
            yield ox.Triple(q.subject, q.predicate, q.object)

    def snapshot(self, target: Path) -> None:
        """Write a copy of the whole store as of now into the new directory ``target``, for read-only opening."""
        if self.path is not None and self.writable:
            self.store.backup(str(target))  # a checkpoint: the table files are hard-linked, not copied
            return
        copy = ox.Store(str(target))  # in memory (or read-only): copy the quads
        copy.bulk_extend(self.store.quads_for_pattern(None, None, None, None))
        copy.flush()
        del copy

    def close(self) -> None:
        if self.writable:
            with contextlib.suppress(OSError):
                self.store.flush()
        del self.store
