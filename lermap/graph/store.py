"""The store: one selector string picks a backend; one code path makes writes transactional.

Selectors (oaklib style; the selector only splits the string, each backend parses its own locator):

* ``oxigraph:PATH`` — embedded, persistent (the default, ``oxigraph:.lermap/store``)
* ``oxigraph:`` or ``memory:`` — embedded, in memory
* ``sparql:QUERY_URL[,UPDATE_URL][,GSP_URL][,key=value ...]`` — any SPARQL 1.1 engine; read-only without an
  update URL (grammar and options: ``backends/sparql_http.py`` and docs/deploy.md)

**How a source is replaced atomically.** Every ingest writes into a *new* named graph (the IRI ends in
a fresh id), which no query sees because queries run over the graphs the catalogue lists. Only then
does one SPARQL update — a single transaction — point the catalogue at the new graph and drop the old
one. A failure or a ``kill -9`` before that update leaves an orphan graph that is invisible and is
removed the next time the store is opened for writing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from lermap.errors import ConfigError, NotFoundError, ReadOnlyStoreError
from lermap.graph.source_names import default_roots, source_name
from lermap.graph.terms import TripleTuple, Value, is_iri, lit, python_value
from lermap.graph.vocab import CATALOG_GRAPH, LERMAP, LERMAP_GRAPH_BASE, PREFIXES, PROV, RDF, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# What callers may bind to a query variable: a term, or a Python value (a str that is an IRI becomes a named node).
QueryValue = Term | str | int | float | bool

EXPORT_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
DATASET_FORMATS = {"nquads", "trig", "jsonld"}


def to_term(value: QueryValue) -> Term:
    """The term bound for a query value: terms as they are, IRIs as named nodes, other values as typed literals."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return value
    if isinstance(value, str) and is_iri(value):
        return ox.NamedNode(value)
    return lit(value)


@dataclass
class SelectResult:
    """Rows of a SELECT: variable names and, per row, one term (or None) per variable."""

    variables: list[str]
    rows: list[list[Term | None]]

    def records(self) -> list[dict[str, Value]]:
        """The rows as plain Python values by variable name (None where a variable is unbound)."""
        return [dict(zip(self.variables, map(python_value, row), strict=True)) for row in self.rows]


class Backend(Protocol):
    """What every store backend provides. ``GraphStore`` builds everything else on these."""

    selector: str
    writable: bool

    def load(self, graph: ox.NamedNode, triples: Iterable[TripleTuple]) -> int:
        """Bulk-add triples to ``graph`` (need not be atomic); returns how many were sent."""

    def load_file(self, graph: ox.NamedNode, path: Path, fmt: ox.RdfFormat, base_iri: str | None) -> None:
        """Bulk-load an RDF file into ``graph`` (need not be atomic)."""

    def update(self, sparql: str) -> None:
        """Run a SPARQL update as one transaction."""

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[ox.NamedNode] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> SelectResult | bool | list[ox.Triple]:
        """Run a SPARQL query over the given default and named graphs (None = engine default)."""

    def named_graphs(self) -> list[ox.NamedNode]: ...

    def triples(self, graph: ox.NamedNode) -> Iterator[ox.Triple]: ...

    def close(self) -> None: ...


@dataclass
class GraphInfo:
    """One named graph in the catalogue, with its provenance."""

    graph: str
    source: str
    format: str
    format_version: str | None = None
    sha256: str | None = None
    ingested_at: str | None = None
    triples: int = 0
    ingester_version: str | None = None
    personal: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def slug(text: str) -> str:
    """A short IRI-safe name for a source: its file name, lower-cased, non-alphanumerics as '-'."""
    name = text.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "source"


_IRI = re.compile(r"^(?:https?://|urn:)")


class GraphStore:
    """A backend plus the catalogue of named graphs: the one place writes are made transactional."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._visible: list[ox.NamedNode] | None = None
        self._shared: list[ox.NamedNode] | None = None
        # Shared remote engines: other processes ingest too, so re-read the catalogue after this many seconds.
        self._catalog_ttl: float | None = getattr(backend, "catalog_ttl_s", None)
        self._name_roots: list[tuple[Path, str]] = []  # folders being built, named like the data folder
        self._read_at = 0.0
        if backend.writable:
            self.remove_orphans()

    @property
    def selector(self) -> str:
        return self.backend.selector

    @property
    def writable(self) -> bool:
        return self.backend.writable

    # -- catalogue -------------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._visible = None
        self._shared = None

    def catalog(self) -> list[GraphInfo]:
        """Every catalogued graph with its provenance, oldest first."""
        q = """
        PREFIX lermap: <https://w3id.org/lermap/vocab#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g ?key ?fmt ?ver ?sha ?time ?n ?iv ?personal
               (GROUP_CONCAT(?w; separator="\\u001f") AS ?warnings)
        WHERE { GRAPH ?catalog {
            ?g lermap:sourceKey ?key ; lermap:formatName ?fmt ; lermap:tripleCount ?n .
            OPTIONAL { ?g lermap:formatVersion ?ver } OPTIONAL { ?g lermap:sha256 ?sha }
            OPTIONAL { ?g prov:generatedAtTime ?time } OPTIONAL { ?g lermap:ingesterVersion ?iv }
            OPTIONAL { ?g lermap:personal ?personal } OPTIONAL { ?g lermap:warning ?w }
        } }
        GROUP BY ?g ?key ?fmt ?ver ?sha ?time ?n ?iv ?personal
        ORDER BY ?time ?key
        """
        bindings: dict[str, Term] = {"catalog": CATALOG_GRAPH}
        res = self.backend.query(q, bindings, None, None)
        assert isinstance(res, SelectResult)
        out = []
        for row in res.rows:
            rec = dict(zip(res.variables, (_value(t) for t in row), strict=True))
            out.append(
                GraphInfo(
                    graph=rec["g"] or "",
                    source=rec["key"] or "",
                    format=rec["fmt"] or "",
                    format_version=rec["ver"],
                    sha256=rec["sha"],
                    ingested_at=rec["time"],
                    triples=int(rec["n"] or 0),
                    ingester_version=rec["iv"],
                    personal=rec["personal"] == "true",
                    warnings=[w for w in (rec["warnings"] or "").split("\x1f") if w],
                )
            )
        return out

    def visible_graphs(self, include_personal: bool = False) -> list[ox.NamedNode]:
        """The graphs queries see: the catalogue plus every catalogued (shared, or also personal) graph."""
        stale = self._catalog_ttl is not None and time.monotonic() - self._read_at > self._catalog_ttl
        if self._visible is None or self._shared is None or stale:
            self._read_at = time.monotonic()
            cat = self.catalog()
            self._visible = [CATALOG_GRAPH, *(ox.NamedNode(g.graph) for g in cat)]
            self._shared = [CATALOG_GRAPH, *(ox.NamedNode(g.graph) for g in cat if not g.personal)]
        return list(self._visible if include_personal else self._shared)

    def remove_orphans(self) -> list[str]:
        """Drop lermap graphs the catalogue doesn't list (left by a failed or killed ingest)."""
        listed = {g.graph for g in self.catalog()} | {CATALOG_GRAPH.value}
        orphans = [g for g in self.backend.named_graphs() if g.value.startswith(LERMAP_GRAPH_BASE) and g.value not in listed]
        if orphans:
            self.backend.update(" ; ".join(f"DROP SILENT GRAPH {g}" for g in orphans))
        return [g.value for g in orphans]

    # -- writes ----------------------------------------------------------------------------------

    def source_name(self, key: str) -> str:
        """The public name of a source key (:mod:`lermap.graph.source_names`)."""
        return source_name(key, [*self._name_roots, *default_roots()])

    @contextlib.contextmanager
    def naming_from(self, folder: Path) -> Iterator[None]:
        """While the block runs, name the sources under ``folder`` relative to it (as ``lermap build`` does)."""
        self._name_roots.insert(0, (folder.resolve(), folder.resolve().name))
        try:
            yield
        finally:
            self._name_roots.pop(0)

    def _require_writable(self) -> None:
        if not self.backend.writable:
            raise ReadOnlyStoreError(f"store {self.selector} is read-only (give an update URL to write)")

    def new_graph(self, source_key: str, personal: bool = False) -> ox.NamedNode:
        """A fresh graph IRI for the next version of a source (personal graphs are marked in the IRI too)."""
        prefix = LERMAP_GRAPH_BASE + ("personal/" if personal else "")
        return ox.NamedNode(f"{prefix}{slug(source_key)}/{uuid.uuid4().hex[:12]}")

    def commit_graph(self, graph: ox.NamedNode, info: GraphInfo) -> None:
        """Make ``graph`` the current graph of ``info.source`` in one transaction, dropping the old one.

        The catalogue names the source publicly (:mod:`lermap.graph.source_names`: no server path); a graph that a
        store of an earlier version catalogued under the source's full path is replaced all the same."""
        self._require_writable()
        key = info.source
        info = dataclasses.replace(info, source=self.source_name(key))
        old = [g for g in self._graphs_of(info.source, key) if g != graph]
        prov = ox.serialize(
            [ox.Quad(s, p, o, CATALOG_GRAPH) for s, p, o in _provenance_triples(graph, info)], format=ox.RdfFormat.N_QUADS
        )
        parts = [f"DELETE WHERE {{ GRAPH {CATALOG_GRAPH} {{ {g} ?p ?o }} }}" for g in old]
        parts.append(f"INSERT DATA {{ {_quads_to_graph_block((prov or b'').decode('utf-8'))} }}")
        parts.extend(f"DROP SILENT GRAPH {g}" for g in old)
        self.backend.update(" ;\n".join(parts))
        self._invalidate()

    def _graphs_of(self, *source_keys: str) -> list[ox.NamedNode]:
        """The catalogued graphs of one source, under any of its keys (one lookup each)."""
        found: list[ox.NamedNode] = []
        for key in dict.fromkeys(source_keys):
            res = self.backend.query(
                "SELECT ?g WHERE { GRAPH ?catalog { ?g <https://w3id.org/lermap/vocab#sourceKey> ?key } }",
                {"catalog": CATALOG_GRAPH, "key": lit(key)}, None, None,
            )
            assert isinstance(res, SelectResult)
            found += [row[0] for row in res.rows if isinstance(row[0], ox.NamedNode) and row[0] not in found]
        return found

    def add(self, graph: ox.NamedNode, triples: Iterable[TripleTuple]) -> int:
        """Bulk-add triples to ``graph``: a graph from :meth:`new_graph` before :meth:`commit_graph`, or a side graph
        the catalogue does not list (such as the proposal queue); returns how many were sent."""
        return self.backend.load(graph, triples)

    def add_file(self, graph: ox.NamedNode, path: Path, fmt: ox.RdfFormat, base_iri: str | None) -> None:
        """Bulk-load an RDF file into an uncommitted ``graph``."""
        self.backend.load_file(graph, path, fmt, base_iri)

    def replace_side_graph(self, graph: ox.NamedNode, triples: Iterable[TripleTuple]) -> int:
        """Replace the content of a side graph the catalogue does not list (a derived product): it never changes the
        store's visible state, so caches and ETags keyed by that state stay valid."""
        self._require_writable()
        self.backend.update(f"DROP SILENT GRAPH {graph}")
        return self.backend.load(graph, triples)

    def edit_quads(self, remove: Sequence[ox.Quad] = (), add: Sequence[ox.Quad] = ()) -> None:
        """Remove and add quads of catalogued graphs in one transaction (an approved correction or removal replaces
        values in the graphs that state them, and its revert puts them back). Quads with blank nodes cannot be
        named in an update and are refused."""
        self._require_writable()
        if any(isinstance(t, ox.BlankNode) for q in [*remove, *add] for t in (q.subject, q.object)):
            raise ValueError("quads with blank nodes cannot be edited in place")
        parts = []
        for verb, quads in (("DELETE", remove), ("INSERT", add)):
            if quads:
                text = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b""
                parts.append(f"{verb} DATA {{ {_quads_to_graph_block(text.decode('utf-8'))} }}")
        if parts:
            self.backend.update(" ;\n".join(parts))

    def discard_graph(self, graph: ox.NamedNode) -> None:
        """Best-effort removal of an uncommitted graph after a failed ingest."""
        with contextlib.suppress(Exception):  # the orphan is invisible and goes at the next open anyway
            self.backend.update(f"DROP SILENT GRAPH {graph}")

    def drop(self, source_or_graph: str) -> GraphInfo:
        """Remove a source (by key, file name or graph IRI) and its graph in one transaction."""
        self._require_writable()
        info = self.find(source_or_graph)
        g = ox.NamedNode(info.graph)
        self.backend.update(f"DELETE WHERE {{ GRAPH {CATALOG_GRAPH} {{ {g} ?p ?o }} }} ;\nDROP SILENT GRAPH {g}")
        self._invalidate()
        return info

    def find(self, source_or_graph: str) -> GraphInfo:
        cat = self.catalog()
        for pred in (
            lambda i: source_or_graph in {i.graph, i.source},
            lambda i: self.source_name(str(Path(source_or_graph).resolve())) == i.source,
            lambda i: Path(source_or_graph).resolve().as_posix() == i.source,
            lambda i: i.source.rstrip("/").rsplit("/", 1)[-1] == source_or_graph,
        ):
            hits = [i for i in cat if pred(i)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise NotFoundError(f"{source_or_graph!r} names {len(hits)} sources; give the full source key or graph IRI")
        raise NotFoundError(f"no source or graph {source_or_graph!r} in store {self.selector}")

    # -- reads -----------------------------------------------------------------------------------

    def query(
        self, sparql: str, bindings: Mapping[str, Term] | None = None, include_personal: bool = False
    ) -> SelectResult | bool | list[ox.Triple]:
        graphs = self.visible_graphs(include_personal)
        return self.backend.query(sparql, bindings, graphs, graphs)

    def query_graphs(
        self, sparql: str, graphs: Sequence[ox.NamedNode], bindings: Mapping[str, Term] | None = None
    ) -> SelectResult | bool | list[ox.Triple]:
        """Run a query over ``graphs`` only, as default and named graphs: one source's graph, an uncommitted graph, or
        a side graph the catalogue does not list."""
        return self.backend.query(sparql, bindings, graphs, graphs)

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        return self.backend.triples(ox.NamedNode(graph))

    def export(self, fmt: str = "nquads", graph: str | None = None, include_personal: bool = False) -> bytes:
        """Serialise one graph or every visible graph (graph formats merge the graphs)."""
        if fmt not in EXPORT_FORMATS:
            raise ConfigError(f"unknown export format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
        graphs = [ox.NamedNode(graph)] if graph else self.visible_graphs(include_personal)
        if graph and graph not in {g.value for g in self.visible_graphs(True)}:
            raise NotFoundError(f"no graph {graph} in store {self.selector}")
        rdf_format = EXPORT_FORMATS[fmt]
        if fmt in DATASET_FORMATS:
            quads: Iterable[Any] = (ox.Quad(t.subject, t.predicate, t.object, g) for g in graphs for t in self.backend.triples(g))
        else:
            quads = (t for g in graphs for t in self.backend.triples(g))
        kwargs: dict[str, Any] = {}
        if fmt in {"turtle", "trig"}:
            kwargs["prefixes"] = PREFIXES
        return ox.serialize(quads, format=rdf_format, **kwargs) or b""

    def digest(self, include_personal: bool = True) -> str:
        """A checksum of everything visible: equal digests mean equal content (for crash tests)."""
        lines = sorted(
            f"{t.subject} {t.predicate} {t.object} {g} ." for g in self.visible_graphs(include_personal) for t in self.backend.triples(g)
        )
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def close(self) -> None:
        self.backend.close()


def _value(term: Term | None) -> str | None:
    if term is None:
        return None
    return str(term) if isinstance(term, ox.Triple) else term.value


def _provenance_triples(graph: ox.NamedNode, info: GraphInfo) -> Iterator[TripleTuple]:
    yield graph, RDF.type, PROV.Entity
    yield graph, LERMAP.sourceKey, lit(info.source)
    if _IRI.match(info.source):  # a local file has no public IRI: its name (above) is all the catalogue says
        yield graph, PROV.wasDerivedFrom, ox.NamedNode(info.source)
    yield graph, LERMAP.formatName, lit(info.format)
    if info.format_version:
        yield graph, LERMAP.formatVersion, lit(info.format_version)
    if info.sha256:
        yield graph, LERMAP.sha256, lit(info.sha256)
    yield graph, PROV.generatedAtTime, lit(info.ingested_at or datetime.now(UTC).isoformat(), datatype=XSD.dateTime)
    yield graph, LERMAP.tripleCount, lit(info.triples)
    if info.ingester_version:
        yield graph, LERMAP.ingesterVersion, lit(info.ingester_version)
    yield graph, LERMAP.personal, lit(info.personal)
    for w in info.warnings:
        yield graph, LERMAP.warning, lit(w)


def _quads_to_graph_block(nquads: str) -> str:
    """Turn N-Quads text into SPARQL ``GRAPH <g> { ... }`` blocks for INSERT DATA."""
    blocks: dict[str, list[str]] = {}
    for line in nquads.splitlines():
        line = line.strip()
        if not line:
            continue
        body = line[:-1].rstrip()  # drop the final " ."
        head, _, g = body.rpartition(" ")
        blocks.setdefault(g, []).append(head + " .")
    return " ".join(f"GRAPH {g} {{ {' '.join(ts)} }}" for g, ts in blocks.items())
