"""A remote SPARQL 1.1 endpoint as a store: ``sparql:QUERY_URL[,UPDATE_URL]``.

Reads use the SPARQL 1.1 Protocol (POST, ``default-graph-uri``/``named-graph-uri``); writes use SPARQL
Update in bounded chunks (never one request per triple). Without an update URL the store is read-only.
Bindings go in as a ``VALUES`` block of serialised terms (``graph/sparql_text.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import httpx
import pyoxigraph as ox

from lermap.config import settings
from lermap.errors import ConfigError, QueryError, ReadOnlyStoreError, StoreError
from lermap.graph.sparql_text import bind_values
from lermap.graph.store import SelectResult, Term
from lermap.graph.terms import TripleTuple

CHUNK_TRIPLES = 20_000
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}


class SparqlBackend:
    """Any SPARQL 1.1 Protocol endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, Neptune)."""

    def __init__(self, selector: str, locator: str) -> None:
        self.selector = selector
        query_url, _, update_url = locator.partition(",")
        if not query_url.startswith(("http://", "https://")):
            raise ConfigError(f"sparql: store needs an http(s) query URL, got {query_url!r}")
        self.query_url = query_url
        self.update_url = update_url or None
        self.writable = self.update_url is not None
        self.client = httpx.Client(timeout=settings().query_timeout_s)

    def _post(self, url: str, data: dict[str, str | list[str]], accept: str) -> httpx.Response:
        try:
            resp = self.client.post(url, data=data, headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise StoreError(f"SPARQL endpoint {url} unreachable: {exc}") from None
        if resp.status_code >= 400:
            detail = resp.text[:500].strip()
            if resp.status_code in {400, 422}:
                raise QueryError(f"endpoint refused the request ({resp.status_code}): {detail}")
            raise StoreError(f"SPARQL endpoint {url} answered {resp.status_code}: {detail}")
        return resp

    def update(self, sparql: str) -> None:
        if self.update_url is None:
            raise ReadOnlyStoreError(f"store {self.selector} has no update URL")
        self._post(self.update_url, {"update": sparql}, "*/*")

    def load(self, graph: ox.NamedNode, triples: Iterable[TripleTuple]) -> int:
        count = 0
        it = iter(triples)
        while chunk := list(itertools.islice(it, CHUNK_TRIPLES)):
            body = ox.serialize((ox.Triple(s, p, o) for s, p, o in chunk), format=ox.RdfFormat.N_TRIPLES) or b""
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}\n}} }}")
            count += len(chunk)
        return count

    def load_file(self, graph: ox.NamedNode, path: Path, fmt: ox.RdfFormat, base_iri: str | None) -> None:
        triples = ((q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt, base_iri=base_iri))
        self.load(graph, triples)  # type: ignore[arg-type]

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None,
        default_graphs: Sequence[ox.NamedNode] | None,
        named_graphs: Sequence[ox.NamedNode] | None,
    ) -> SelectResult | bool | list[ox.Triple]:
        text = bind_values(sparql, bindings or {})
        data: dict[str, str | list[str]] = {"query": text}
        if default_graphs:
            data["default-graph-uri"] = [g.value for g in default_graphs]
        if named_graphs:
            data["named-graph-uri"] = [g.value for g in named_graphs]
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        resp = self._post(self.query_url, data, accept)
        ctype = resp.headers.get("content-type", "").split(";")[0].strip()
        if ctype in _RESULT_FORMATS:
            res = ox.parse_query_results(resp.content, format=_RESULT_FORMATS[ctype])
            if isinstance(res, ox.QueryBoolean):
                return bool(res)
            variables = [v.value for v in res.variables]
            return SelectResult(variables, [[sol[i] for i in range(len(variables))] for sol in res])
        if ctype in _GRAPH_FORMATS:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(resp.content, format=_GRAPH_FORMATS[ctype])]
        raise QueryError(f"endpoint answered with unsupported content type {ctype!r}")

    def named_graphs(self) -> list[ox.NamedNode]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None, None, None)
        assert isinstance(res, SelectResult)
        return [row[0] for row in res.rows if isinstance(row[0], ox.NamedNode)]

    def triples(self, graph: ox.NamedNode) -> Iterator[ox.Triple]:
        res = self.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph}, None, None)
        assert isinstance(res, list)
        return iter(res)

    def close(self) -> None:
        self.client.close()
