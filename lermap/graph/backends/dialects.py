"""What differs between SPARQL engines, kept out of the callers: one ``Dialect`` per engine family.

A dialect knows where an engine's SPARQL 1.1 Graph Store Protocol endpoint usually lives, which
parameter names the graph, which result format reads back faithfully, and how large a page of
results may be. ``detect`` picks one from the ``Server`` header of the engine's first answer unless the
selector names it (``engine=virtuoso``).

Quirks handled here (each found against the real engine, see tests/graph/test_remote_engines.py):

* **Virtuoso** — SPARQL Update and GSP writes need ``SPARQL_UPDATE`` granted to the anonymous
  ``SPARQL`` user, or the authenticated endpoints ``/sparql-auth`` and ``/sparql-graph-crud-auth``
  (HTTP digest; credentials from the URL or ``LERMAP_SPARQL_USER``/``LERMAP_SPARQL_PASSWORD``). Its
  JSON results write ``false`` as ``"0"^^xsd:boolean``, so results are read as XML. By default it caps
  every result at 10,000 rows (``ResultSetMaxRows``) and refuses a sorted ``OFFSET`` beyond that unless
  the sort sits in a sub-select, so pages are at most 10,000 rows and always use the sub-select form.
  Without ``default-graph-uri`` its default graph is the union of all graphs (as lermap expects).
  Its SPARQL compiler runs out of parser memory on an ``INSERT DATA`` of ~5,000 triples, so without
  GSP, writes go in updates of 2,000 triples. It answers ``406`` when asked for SELECT result formats on
  a CONSTRUCT (it negotiates before reading the query), so the backend retries with graph formats.
  ``SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }`` reads every quad (35 s for 600k triples).
  Its GSP ``GET`` is capped like any query (10,000 triples, silently), so reads page instead.
* **Oxigraph server** — GSP at ``/store`` with ``?graph=``; streams ``GET /store?graph=`` so exports
  need no paging; loads ``POST`` with ``no_transaction`` (its bulk loader).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox


@dataclass(frozen=True)
class Dialect:
    """How to talk to one engine family."""

    name: str
    accept_results: str = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
    gsp_graph_param: str = "graph"
    gsp_get_streams: bool = False  # does GET on the GSP endpoint return a whole graph, uncapped?
    page_rows: int = 10_000
    max_update_triples: int = 50_000  # triples per INSERT DATA when there is no GSP endpoint
    # Extra GSP POST parameters for loads. Each load writes a fresh graph no query sees until the catalogue
    # swap, so per-request atomicity buys nothing there and an engine's faster non-transactional path is safe.
    gsp_load_params: tuple[tuple[str, str], ...] = ()

    def gsp_url(self, query_url: str, update_url: str | None) -> str | None:
        """The engine's usual GSP endpoint beside its query/update endpoints (None: unknown, use SPARQL Update)."""
        return None


@dataclass(frozen=True)
class OxigraphDialect(Dialect):
    def gsp_url(self, query_url: str, update_url: str | None) -> str | None:
        return _sibling(query_url, "store")


@dataclass(frozen=True)
class VirtuosoDialect(Dialect):
    def gsp_url(self, query_url: str, update_url: str | None) -> str | None:
        authenticated = (update_url or "").rstrip("/").endswith("-auth")
        return _sibling(update_url or query_url, "sparql-graph-crud-auth" if authenticated else "sparql-graph-crud")


GENERIC = Dialect("generic")
# no_transaction: the server's bulk loader (2x faster here than its transactional POST)
OXIGRAPH = OxigraphDialect("oxigraph", gsp_get_streams=True, gsp_load_params=(("no_transaction", ""),))
# XML, not JSON: Virtuoso's JSON writes booleans as 0/1 (see module docstring).
# max_update_triples: Virtuoso's SPARQL compiler runs out of parser memory near 5,000 lines of INSERT DATA.
VIRTUOSO = VirtuosoDialect("virtuoso", max_update_triples=2_000, accept_results="application/sparql-results+xml, application/sparql-results+json;q=0.5")
DIALECTS = {d.name: d for d in (GENERIC, OXIGRAPH, VIRTUOSO)}


def detect(server_header: str) -> Dialect:
    """The dialect an HTTP ``Server`` header announces (generic when it names no engine we know)."""
    header = server_header.lower()
    if "virtuoso" in header:
        return VIRTUOSO
    if "oxigraph" in header:
        return OXIGRAPH
    return GENERIC


def _sibling(url: str, name: str) -> str:
    """``url`` with its last path segment replaced by ``name`` (``http://h/sparql`` → ``http://h/store``)."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/").rsplit("/", 1)[0] + "/" + name
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # older engines label N-Triples as text/plain
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
